; expect 3:9 expected TCP or UDP
PORT
   4035 RSED
