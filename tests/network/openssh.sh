#!/usr/bin/env bash
# ssh:// against OpenSSH's own sshd (issue #21, docs/tool.md "Addresses"): starts /usr/sbin/sshd on
# 127.0.0.1:PORT (default 22222) with a throwaway host key, an authorized_keys and a config of its own in
# a temporary directory (the machine's sshd, /etc/ssh and ~/.ssh are not touched), a virtual board
# (./pirt sim) whose runtime serves its wire socket, then through ssh://: the unknown host key refused,
# accepted with --accept-new-host-key, info --json, a flash, the console, pirt test on hello-world's tests,
# and the flash of a 16 MiB incompressible bundle timed against scp of the same file to the same sshd.
#
# Needs: the tool built (mvn -o -DskipTests package), hello-world's tests compiled
# (mvn -pl examples/hello-world -am test-compile), openssh-server (installed here with apt-get when
# missing and run as root). Usage: tests/network/openssh.sh [PORT]
# With OPENSSH_HOLD=FILE, it writes the flash and scp commands to FILE at the end and keeps sshd and the
# board up until FILE is deleted (at most 10 minutes), to time them with other tools.
#
# The flash's time as a whole process includes the board's install and the application's trial (10 s on
# the virtual board) before its verdict; "sent N bytes in S s" is the transfer alone, as the tool measures it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${1:-22222}
PIRT="$ROOT/pirt"
HELLO="$ROOT/examples/hello-world"
export PIRT_NO_BUILD=1

if [ ! -x /usr/sbin/sshd ]; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y openssh-server >/dev/null
    else
        echo "openssh.sh: /usr/sbin/sshd is missing: sudo apt-get install openssh-server" >&2; exit 1
    fi
fi
[ -d "$HELLO/target/test-classes" ] || { echo "openssh.sh: compile hello-world's tests first: mvn -pl examples/hello-world -am test-compile" >&2; exit 1; }
HELLO_JAR=$(ls "$HELLO"/target/pirt-example-hello-world-*.jar | head -1)

T=$(mktemp -d /tmp/pirt-openssh-XXXXXX)
SSHD_PID= SIM_PID=
cleanup() {
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
    [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null && wait "$SSHD_PID" 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT

# the tool's home: its own ~/.ssh with a fresh key, no known_hosts yet
mkdir -p "$T/home/.ssh" && chmod 700 "$T/home/.ssh"
ssh-keygen -q -t ed25519 -N '' -C openssh.sh -f "$T/home/.ssh/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C openssh.sh-host -f "$T/host_key"
cp "$T/home/.ssh/id_ed25519.pub" "$T/authorized_keys"
USER_NAME=$(id -un)
cat > "$T/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
AllowUsers $USER_NAME
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
AllowStreamLocalForwarding yes
Subsystem sftp internal-sftp
CONF
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd   # sshd's privilege separation directory, which the package's service makes
/usr/sbin/sshd -D -e -f "$T/sshd_config" -h "$T/host_key" 2>"$T/sshd.log" &
SSHD_PID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

"$PIRT" sim --baud 0 --app-jar "$HELLO_JAR" --app-main io.pirt.examples.hello.HelloWorld --state "$T/board" >"$T/sim.out" 2>&1 &
SIM_PID=$!
for _ in $(seq 600); do grep -q '^socket: ' "$T/sim.out" && break; kill -0 $SIM_PID || { cat "$T/sim.out"; exit 1; }; sleep 0.1; done
SOCKET=$(sed -n 's/^socket: //p' "$T/sim.out")
ADDR="ssh://$USER_NAME@127.0.0.1:$PORT$SOCKET"
pirt() { JAVA_TOOL_OPTIONS="-Duser.home=$T/home" "$PIRT" "$@" 2> >(grep -v '^Picked up JAVA_TOOL_OPTIONS' >&2); }
step() { printf '\n== %s\n' "$*"; }

step "an unknown host key is refused (exit 1 expected)"
if pirt info --port "$ADDR"; then echo "FAIL: accepted an unknown host key"; exit 1; fi
step "accepted with --accept-new-host-key"
pirt info --accept-new-host-key --port "$ADDR"
step "info --json"
pirt info --json --port "$ADDR"

KEY="$T/board/dev-signing-key.pem" PUB="$T/board/config/keys/dev.pub"
step "bundle and flash hello-world"
pirt bundle --jar "$HELLO_JAR" --main io.pirt.examples.hello.HelloWorld --name hello-world --version 1.0.0 \
    --key "$KEY" --public-key "$PUB" --out "$T/hello.pirt" >/dev/null
pirt flash --progress none --port "$ADDR" "$T/hello.pirt"

step "console: 'info' typed, its answer shown"
mkfifo "$T/keys"
pirt console --port "$ADDR" --log "$T/console.log" <"$T/keys" >"$T/console.out" &
CONSOLE=$!
exec 4>"$T/keys"
printf 'info\n' >&4
for _ in $(seq 200); do grep -q 'board: *virtual' "$T/console.log" 2>/dev/null && break; sleep 0.1; done
printf '\035' >&4; exec 4>&-
wait $CONSOLE
grep 'board: *virtual' "$T/console.out" || { echo "FAIL: the console showed no answer"; exit 1; }

step "pirt test: hello-world's tests on the board"
pirt test --port "$ADDR" --key "$KEY" --public-key "$PUB" --reports "$T/reports" --classpath "$HELLO/target/classes" \
    --exclude-tag fails-on-purpose --exclude-tag hangs-on-purpose "$HELLO/target/test-classes"

step "throughput: a 16 MiB incompressible bundle, flash over ssh:// against scp to the same sshd"
python3 - "$HELLO_JAR" "$T/big.jar" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as dst:
    for i in src.infolist(): dst.writestr(i, src.read(i))
    dst.writestr("noise.bin", os.urandom(16 * 1024 * 1024))
PY
pirt bundle --jar "$T/big.jar" --main io.pirt.examples.hello.HelloWorld --name big --version 1.0.0 \
    --key "$KEY" --public-key "$PUB" --out "$T/big.pirt" >/dev/null
ls -l "$T/big.pirt"
SCP=(scp -q -P "$PORT" -i "$T/home/.ssh/id_ed25519" -o UserKnownHostsFile="$T/home/.ssh/known_hosts" -o StrictHostKeyChecking=yes
     -o IdentitiesOnly=yes -o BatchMode=yes "$T/big.pirt" "$USER_NAME@127.0.0.1:$T/copied.pirt")
ms() { date +%s%3N; }
for run in 1 2 3; do
    a=$(ms); pirt flash --force --progress none --port "$ADDR" "$T/big.pirt" >/dev/null 2>"$T/flash.err"; b=$(ms)
    "${SCP[@]}"; c=$(ms)
    sent=$(grep -o 'sent [0-9]* bytes.* in [0-9.]* s' "$T/flash.err" || true)
    echo "run $run: pirt flash $((b - a)) ms ($sent), scp $((c - b)) ms, flash/scp time ratio $(awk "BEGIN{printf \"%.2f\", ($((b - a)))/($((c - b)))}")"
done
cmp "$T/big.pirt" "$T/copied.pirt" && echo "scp's copy is whole"
echo "openssh.sh: all flows passed"
if [ -n "${OPENSSH_HOLD:-}" ]; then
    printf 'env JAVA_TOOL_OPTIONS=-Duser.home=%s PIRT_NO_BUILD=1 %s flash --force --progress none --port %s %s\n%s\n' \
        "$T/home" "$PIRT" "$ADDR" "$T/big.pirt" "${SCP[*]}" >"$OPENSSH_HOLD"
    for _ in $(seq 6000); do [ -e "$OPENSSH_HOLD" ] || break; sleep 0.1; done
fi
