#!/bin/bash -eu
# OSS-Fuzz's projects/refld/build.sh: the repository's own build script,
# which ClusterFuzzLite and the project's CI (scripts/fuzz-build-check.sh)
# run too, so that there is one build to keep working. It builds with
# $SANITIZER and puts the fuzzers, their .options and seed corpora, the
# dictionary and the bundled linkers into $OUT.
exec bash "$SRC/refld/.clusterfuzzlite/build.sh"
