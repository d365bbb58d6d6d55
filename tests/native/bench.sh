#!/usr/bin/env bash
# Start-up figures of the native executables against the JIT builds (docs/native.md).
#   tests/native/bench.sh NATIVE-QAPIGEN JIT-QAPIGEN NATIVE-HOST JIT-HOST
# Needs hyperfine, cc (for exec-to-greeting) and ../shared; QEMU's -M none is the host's yardstick.
set -euo pipefail
cd "$(dirname "$0")/../.."
native_cli=$1 jit_cli=$2 native_host=$3 jit_host=$4
schema=../shared/qemu-schemas/v8.2.0/qapi-schema.json
work=$(mktemp -d /tmp/qapigen-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/exec-to-greeting" tests/native/exec-to-greeting.c

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -w 3 -r 20 \
  -n "check native" "$native_cli check $schema" \
  -n "check JIT" "$jit_cli check $schema" \
  -n "dump native" "$native_cli dump $schema" \
  -n "dump JIT" "$jit_cli dump $schema"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -w 1 -r 10 -n "generate native" "$native_cli generate $schema -o $work/gen"
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
