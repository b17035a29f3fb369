#!/bin/bash
# kernels: stock
# tests/50-faults.sh on five nodes: the minority cut off is two followers,
# the split puts the leader and one follower against three (each side
# still talking within itself).  The module reload is 50's alone.
FAULTS_NODES=5 FAULTS_RELOAD=0 exec "$(dirname "$0")/50-faults.sh"
