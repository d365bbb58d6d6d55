#!/usr/bin/env bash
# Start-up figures of the native executables against the JIT builds (docs/native.md).
#   tests/native/bench.sh NATIVE-QAPIGEN JIT-QAPIGEN NATIVE-HOST JIT-HOST [OTHER-NATIVE-QAPIGEN]
# Needs hyperfine, python3, cc (for exec-to-greeting) and ../shared; QEMU's -M none is the host's
# yardstick. OTHER-NATIVE-QAPIGEN (say, a build of the previous revision) is measured alongside.
# The machine may be shared: besides hyperfine's wall times, tests/native/alternate.py gives CPU
# times (user + sys) and ratios from rounds that run every command in turn.
set -euo pipefail
cd "$(dirname "$0")/../.."
native_cli=$1 jit_cli=$2 native_host=$3 jit_host=$4 other_cli=${5:-}
schema=../shared/qemu-schemas/v8.2.0/qapi-schema.json
work=$(mktemp -d /tmp/qapigen-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/exec-to-greeting" tests/native/exec-to-greeting.c

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
other=()
[[ -z $other_cli ]] || other=(-n "check other" "$other_cli check $schema" -n "dump other" "$other_cli dump $schema")
hyperfine -N -w 3 -r 20 \
  -n "check native" "$native_cli check $schema" \
  -n "check JIT" "$jit_cli check $schema" \
  -n "dump native" "$native_cli dump $schema" \
  -n "dump JIT" "$jit_cli dump $schema" "${other[@]}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -w 1 -r 10 -n "generate native" "$native_cli generate $schema -o $work/gen" \
  -n "generate JIT" "$jit_cli generate $schema -o $work/gen-jit"

other=()
[[ -z $other_cli ]] || other=("check-other=$other_cli check $schema" "dump-other=$other_cli dump $schema" \
  --ratio check-native/check-other --ratio dump-native/dump-other)
python3 tests/native/alternate.py --rounds 20 \
  "check-native=$native_cli check $schema" "check-JIT=$jit_cli check $schema" \
  "dump-native=$native_cli dump $schema" "dump-JIT=$jit_cli dump $schema" \
  --ratio check-native/check-JIT --ratio dump-native/dump-JIT "${other[@]}"
python3 tests/native/alternate.py --rounds 8 --warmup 1 \
  "generate-native=$native_cli generate $schema -o $work/gen" "generate-JIT=$jit_cli generate $schema -o $work/gen-jit" \
  --ratio generate-native/generate-JIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -w 3 -r 30 \
  -n "host native" "$work/exec-to-greeting $work/n.sock $native_host -qmp unix:@,server=on,wait=off" \
  -n "host JIT" "$work/exec-to-greeting $work/j.sock $jit_host -qmp unix:@,server=on,wait=off" \
  -n "qemu -M none" "$work/exec-to-greeting $work/q.sock qemu-system-x86_64 -M none -nodefaults -display none -S -qmp unix:@,server=on,wait=off"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Idle RSS: a host that greeted one client and then sat for two seconds.
for host in "$native_host" "$jit_host"; do
  "$host" -qmp "unix:$work/rss.sock,server=on,wait=off" 2>/dev/null &
  pid=$!
  for _ in $(seq 600); do [[ -S $work/rss.sock ]] && break; sleep 0.1; done
  python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.recv(4096)" "$work/rss.sock"
  sleep 2
  echo "idle RSS of $host: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
  kill "$pid"; wait "$pid" || true
done
