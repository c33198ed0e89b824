#!/usr/bin/env bash
# tests/pi3/run.sh: a whole Raspberry Pi 3 B in QEMU (machine raspi3b): Debian trixie arm64 with
# its own kernel, systemd and udev, the pirt-runtime package installed with apt, its systemd
# unit running the runtime on the PL011 /dev/ttyAMA0, driven from this machine's ./pirt over
# that UART's host pty; GPIO on the kernel's pinctrl-bcm2835 driver; power cuts (SIGKILL of
# QEMU) during installs; a clean reboot. docs/pi3.md says what each step proves.
#
#   sudo tests/pi3/run.sh [--fresh] [--cuts N]
#
#   --fresh    build the cached root filesystem, kernel and device tree again
#   --cuts N   power cuts during installs (default 5)
#
# Environment: PIRT_PI3_CACHE (default /var/cache/pirt-pi3): the root filesystem (rootfs/),
# kernel, initrd and device tree (boot/), the last run's SD image, logs and bundles
# (last-run/). PIRT_PI3_MIRROR (default http://deb.debian.org/debian). PIRT_PI3_SEED: the
# seed of the power cuts' moments (default: the clock; printed).
#
# Needs root, and on the host: qemu-system-arm mmdebstrap qemu-user-static binfmt-support
# device-tree-compiler e2fsprogs python3 jq bc (apt-get install), a JDK 21+ and Maven (as
# ./pirt does). Prints a summary table (step, result, time) and exits 0 when every step
# passed (or was skipped for a stated reason), 1 when one failed, 2 on usage.
#
# Nothing is mounted: the SD image is made with mkfs.ext4 -d from a directory. The EXIT trap
# kills QEMU and every helper this script started (by their process ids).
set -uo pipefail

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
FRESH=0
CUTS=5
while [ $# -gt 0 ]; do
    case "$1" in
    --fresh) FRESH=1 ;;
    --cuts)
        shift
        [[ "${1:-}" =~ ^[0-9]+$ ]] || { echo "run.sh: --cuts needs a number" >&2; usage >&2; exit 2; }
        CUTS=$1
        ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if [ "$(id -u)" != 0 ]; then
    echo "run.sh: needs root (mmdebstrap, file ownership in the image): sudo $0 $*" >&2
    exit 2
fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${PIRT_PI3_CACHE:-/var/cache/pirt-pi3}
MIRROR=${PIRT_PI3_MIRROR:-http://deb.debian.org/debian}
SEED=${PIRT_PI3_SEED:-$(date +%s)}
SUITE=trixie
PACKAGES=systemd-sysv,udev,kmod,gpiod,linux-image-arm64,procps,openjdk-21-jre-headless,adduser
ROOTFS="$CACHE/rootfs"
BOOT="$CACHE/boot"
WORK="$CACHE/last-run"
LOGS="$WORK/logs"
SD="$WORK/sd.img"
CON="$WORK/console.sock"
UUID=5d1e3c2a-7b4f-4a9e-8c61-3f2b9d0e7a14
PIRT="$REPO/pirt"
GUEST="$HERE/guest.py"
PIRT_TIMEOUT=(--timeout-ms 30000) # the emulated board answers slowly
# The emulated board runs a JVM 20 to 100 times slower than a Pi: the application gets longer
# to start and to answer its heartbeat (pirt.conf's PIRT_OPTS, as a user would set them).
EMULATION_OPTS="--start-timeout-ms 600000 --hang-timeout-ms 60000"
BOARD_FILE=/etc/pirt/rpi-3b-qemu.yaml
BOOT_WAIT_S=600    # QEMU start to a root shell on the system console
RUNTIME_WAIT_S=900 # the unit's start to the runtime's first answer on the PL011
APP_WAIT_S=900     # a committed bundle to its application's first line
QEMU_PID=""
PTY=""
BOOTS=0
HELPER_PIDS=() # background helpers (flash, console stream); killed by id in the trap

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# --- steps and the summary: tests/steps.sh ------------------------------------------------

# shellcheck source=../steps.sh disable=SC1091
source "$REPO/tests/steps.sh"


# Waits until FILE has a line matching REGEX (grep -E), at most SECONDS; fails early when
# process PID (optional) ends. Polls: a file written by another process gives no event.
wait_for_line() {
    local file=$1 regex=$2 seconds=$3 deadline
    deadline=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -Eq -- "$regex" "$file" 2>/dev/null && return 0
        if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then
            grep -Eq -- "$regex" "$file" 2>/dev/null && return 0
            echo "process $4 ended while waiting for /$regex/ in $file"
            return 1
        fi
        sleep 0.5
    done
    echo "no line matching /$regex/ in $file within $seconds s"
    return 1
}

# --- the guest ------------------------------------------------------------------------------

# in_guest [-t SECONDS] COMMAND: runs COMMAND as root in the guest's shell on the system
# console (mini UART, QEMU's unix socket); prints its output, returns its status.
in_guest() {
    local t=300
    if [ "$1" = -t ]; then t=$2; shift 2; fi
    python3 "$GUEST" "$CON" "$t" "$1"
}

# Starts QEMU on the SD image: the PL011 on a host pty (PTY), the mini UART on CON. Waits for
# the pty's name, not for the boot.
qemu_start() {
    local out="$WORK/qemu-$((BOOTS + 1)).out"
    rm -f "$CON"
    qemu-system-aarch64 -M raspi3b -kernel "$BOOT/vmlinuz" -initrd "$BOOT/initrd.img" -dtb "$BOOT/pi3b.dtb" \
        -drive "file=$SD,if=sd,format=raw" \
        -append "console=ttyS1,115200 root=UUID=$UUID rw rootwait quiet systemd.default_device_timeout_sec=900" \
        -serial pty -serial "unix:$CON,server=on,wait=off" -display none -monitor none -no-reboot \
        >"$out" 2>&1 </dev/null &
    QEMU_PID=$!
    BOOTS=$((BOOTS + 1))
    wait_for_line "$out" 'char device redirected to /dev/pts/[0-9]+ \(label serial0\)' 60 "$QEMU_PID" || { cat "$out"; return 1; }
    PTY=$(sed -n 's|.*char device redirected to \(/dev/pts/[0-9]*\) (label serial0).*|\1|p' "$out" | head -n 1)
    # The host end of the pty starts cooked, with echo: until a program opened it and set raw
    # mode, it would send back whatever the board writes, and the runtime's shell would read
    # its own output as typed input. A cable does not echo: raw from the start.
    stty -F "$PTY" raw -echo || return 1
    echo "QEMU pid $QEMU_PID (boot $BOOTS): PL011 /dev/ttyAMA0 = host $PTY; mini UART /dev/ttyS1 = $CON"
}

# Waits for the root shell on the system console (the boot), at most BOOT_WAIT_S. Sets BOOT_S.
wait_for_shell() {
    local t0=$SECONDS
    in_guest -t "$BOOT_WAIT_S" --wait || { echo "no shell on the system console within $BOOT_WAIT_S s"; return 1; }
    BOOT_S=$((SECONDS - t0))
    echo "root shell after $BOOT_S s"
}

# SIGKILL: the power cut. Waits for the process to be gone.
qemu_kill() {
    [ -n "$QEMU_PID" ] || return 0
    kill -KILL "$QEMU_PID" 2>/dev/null
    wait "$QEMU_PID" 2>/dev/null
    QEMU_PID=""
    PTY=""
}

# Waits until QEMU ends by itself (the guest rebooted: -no-reboot), at most SECONDS.
qemu_wait_exit() {
    local deadline=$((SECONDS + $1))
    while kill -0 "$QEMU_PID" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "QEMU still runs after $1 s"; return 1; }
        sleep 1
    done
    wait "$QEMU_PID" 2>/dev/null
    QEMU_PID=""
    PTY=""
}

# Asks the runtime (./pirt info over the PL011) until it answers, at most SECONDS; the answer
# (JSON) in FILE. Sets ANSWER_S.
wait_for_runtime() { # FILE SECONDS
    local file=$1 t0=$SECONDS deadline=$((SECONDS + $2))
    until "$PIRT" info --json --port "$PTY" "${PIRT_TIMEOUT[@]}" >"$file" 2>"$file.err"; do
        kill -0 "$QEMU_PID" 2>/dev/null || { echo "QEMU ended"; return 1; }
        [ $SECONDS -lt $deadline ] || { echo "no answer from the runtime on $PTY within $2 s:"; cat "$file.err"; return 1; }
        sleep 5
    done
    ANSWER_S=$((SECONDS - t0))
    cat "$file"
    echo
}

# Waits until the board runs a committed application (info: RUNNING, bundle not on trial) and
# its console log has a line matching REGEX, at most SECONDS. The last info in FILE.
wait_for_app() { # FILE REGEX SECONDS
    local file=$1 regex=$2 deadline=$((SECONDS + $3))
    while true; do
        if "$PIRT" info --json --port "$PTY" "${PIRT_TIMEOUT[@]}" >"$file" 2>"$file.err" &&
            [ "$(jq -r '.application.state' "$file")" = RUNNING ] && [ "$(jq -r '.bundle.onTrial' "$file")" = false ] &&
            "$PIRT" logs --port "$PTY" "${PIRT_TIMEOUT[@]}" -n 300 >"$file.logs" 2>&1 && grep -Eq -- "$regex" "$file.logs"; then
            return 0
        fi
        [ $SECONDS -lt $deadline ] || break
        sleep 5
    done
    echo "no committed, running application printing /$regex/ within $3 s; last info:"
    cat "$file" "$file.err"
    tail -n 40 "$file.logs" 2>/dev/null
    return 1
}

# --- the steps ------------------------------------------------------------------------------

s_host() {
    local missing=() c
    for c in qemu-system-aarch64 mmdebstrap fdtput mkfs.ext4 python3 jq bc update-binfmts; do
        command -v "$c" >/dev/null || missing+=("$c")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "missing on this host: ${missing[*]}; install: apt-get install qemu-system-arm mmdebstrap" \
            "qemu-user-static binfmt-support device-tree-compiler e2fsprogs python3 jq bc"
        return 1
    fi
    # mmdebstrap runs the arm64 maintainer scripts through qemu-user (binfmt_misc).
    enable_binfmt_aarch64 || return 1
    qemu-system-aarch64 --version | head -n 1
    find_host_jdk || return 1
    echo "host JDK: $HOST_JAVAC; load: $(cut -d' ' -f1-3 /proc/loadavg)"
    NOTE="$(qemu-system-aarch64 --version | head -n 1 | sed 's/ version / /; s/ (.*//'); load $(cut -d' ' -f1 /proc/loadavg)"
}

s_rootfs() {
    if [ $FRESH = 1 ]; then
        rm -rf --one-file-system "$ROOTFS" "$ROOTFS.tmp" "$BOOT" || return 1
    fi
    if [ -f "$ROOTFS/.pirt-rootfs" ]; then
        cat "$ROOTFS/.pirt-rootfs"
        NOTE="reused: $(sed -n 's/^built: //p' "$ROOTFS/.pirt-rootfs")"
        return 0
    fi
    rm -rf --one-file-system "$ROOTFS.tmp" || return 1
    local t0=$SECONDS
    # The JRE and the kernel in the cached root filesystem: the guest has no network, so apt
    # inside it finds everything the package's Depends name already installed.
    timeout 3600 mmdebstrap --arch=arm64 --include="$PACKAGES" "$SUITE" "$ROOTFS.tmp" "$MIRROR" || return 1
    prepare_rootfs "$ROOTFS.tmp" || return 1
    {
        echo "built: $(date -u '+%Y-%m-%d %H:%M UTC') in $((SECONDS - t0)) s"
        echo "command: mmdebstrap --arch=arm64 --include=$PACKAGES $SUITE ROOTFS $MIRROR"
        echo "debian_version: $(cat "$ROOTFS.tmp/etc/debian_version")"
        echo "kernel: $(ls "$ROOTFS.tmp/boot/" | sed -n 's/^vmlinuz-//p')"
    } >"$ROOTFS.tmp/.pirt-rootfs"
    mv "$ROOTFS.tmp" "$ROOTFS"
    cat "$ROOTFS/.pirt-rootfs"
    NOTE="built in $((SECONDS - t0)) s, $(du -sm "$ROOTFS" | cut -f1) MB, Debian $(cat "$ROOTFS/etc/debian_version")"
}

# What the image has besides Debian's packages, once, in the cached root filesystem.
prepare_rootfs() {
    local r
    r=$(readlink -f "$1")
    echo pi3 >"$r/etc/hostname"
    echo "UUID=$UUID / ext4 rw,errors=remount-ro 0 1" >"$r/etc/fstab"
    # A persistent journal, so the boot after a power cut can show the one before it.
    mkdir -p "$r/var/log/journal"
    # Plain Debian: /dev/gpiochip* is root's and there is no group gpio; the package sees to both.
    # Nothing that wakes up by itself and competes for the emulated CPUs during a step.
    for t in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer fstrim.timer dpkg-db-backup.timer; do
        ln -sf /dev/null "$r/etc/systemd/system/$t"
    done
}

s_boot_files() {
    mkdir -p "$BOOT"
    local k i dtb
    k=$(ls "$ROOTFS"/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
    i=$(ls "$ROOTFS"/boot/initrd.img-* 2>/dev/null | sort -V | tail -n 1)
    dtb=$(ls "$ROOTFS"/usr/lib/linux-image-*/broadcom/bcm2837-rpi-3-b.dtb 2>/dev/null | sort -V | tail -n 1)
    [ -f "$k" ] && [ -f "$i" ] && [ -f "$dtb" ] || { echo "no kernel, initrd or bcm2837-rpi-3-b.dtb in $ROOTFS"; return 1; }
    cp "$k" "$BOOT/vmlinuz" && cp "$i" "$BOOT/initrd.img" && cp "$dtb" "$BOOT/pi3b.dtb" || return 1
    # The PL011's bluetooth child: with it, serdev takes the UART and /dev/ttyAMA0 never appears.
    if fdtget "$BOOT/pi3b.dtb" /soc/serial@7e201000/bluetooth compatible >/dev/null 2>&1; then
        fdtput -r "$BOOT/pi3b.dtb" /soc/serial@7e201000/bluetooth || return 1
    fi
    fdtget "$BOOT/pi3b.dtb" / model
    ls -l "$BOOT"
    NOTE="$(basename "$k"), $(basename "$dtb") without /soc/serial@7e201000/bluetooth"
}

s_build() {
    (cd "$REPO" && mvn -q -o -B -Dstyle.color=never -pl packaging -am package -DskipTests) || return 1
    DEB=$(ls -t "$REPO"/packaging/target/pirt-runtime_*_all.deb | head -n 1)
    [ -f "$DEB" ] || { echo "no packaging/target/pirt-runtime_*_all.deb"; return 1; }
    "$PIRT" --version || return 1 # builds the tool and examples/demo when sources changed
    if ! ls "$REPO"/examples/demo/target/*.jar >/dev/null 2>&1; then
        (cd "$REPO" && mvn -q -o -B -Dstyle.color=never -pl examples/demo -am package -DskipTests) || return 1
    fi
    (cd "$REPO" && mvn -q -B -o -Dstyle.color=never -pl examples/hello-world -am test-compile -Dpirt.skip) || return 1
    rm -rf "$WORK/classes" && mkdir -p "$WORK/classes" || return 1
    "$HOST_JAVAC" --release 21 -d "$WORK/classes" -cp "$REPO/flash-tools/target/lib/*" \
        $(find "$HERE/src" -name '*.java') || return 1
    "$HOST_JAR" cf "$WORK/gpio-check.jar" -C "$WORK/classes" io/pirt/tests/pi3/GpioCheck.class || return 1
    rm -rf "$WORK/keys"
    "$PIRT" keygen --out "$WORK/keys" --name laptop >/dev/null || return 1
    "$PIRT" keygen --out "$WORK/keys" --name stranger >/dev/null || return 1
    NOTE="$(basename "$DEB") ($(du -k "$DEB" | cut -f1) KB); keys laptop, stranger"
}

s_image() {
    # This run's files in the root filesystem, under /srv/pirt: the package, the key the board
    # will trust, the board file. /etc/pirt is the package's: they are copied there after apt.
    local d="$ROOTFS/srv/pirt"
    # A root filesystem cached by an earlier version of this script had Raspberry Pi OS's gpio
    # group and udev rule added by hand: plain Debian has neither, and the package must cope.
    if grep -q '^gpio:' "$ROOTFS/etc/group"; then groupdel -R "$ROOTFS" gpio || return 1; fi
    rm -f "$ROOTFS/etc/udev/rules.d/60-gpiochip-group.rules"
    # The system console (the mini UART ttyS1, console= on the kernel command line) logs root
    # in by itself: the host drives the guest through it (guest.py). The PL011 is pirt's.
    # (With the two the other way round, the header's mini UART pirt's as on a real 3 B, the
    # guest never read the PL011 console in 2 of 4 boots: docs/pi3.md.)
    rm -rf "$ROOTFS/etc/systemd/system/serial-getty@ttyAMA0.service.d"
    mkdir -p "$ROOTFS/etc/systemd/system/serial-getty@ttyS1.service.d" || return 1
    cat >"$ROOTFS/etc/systemd/system/serial-getty@ttyS1.service.d/autologin.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud 115200 %I $TERM
EOF
    rm -rf "$d" && mkdir -p "$d" || return 1
    cp "$DEB" "$d/pirt-runtime.deb" && chmod 644 "$d/pirt-runtime.deb" || return 1
    cp "$WORK/keys/laptop.pub" "$d/laptop.pub" || return 1
    # The 3 B has no user LED or button on a GPIO line (docs/board-profiles.md): the demo's
    # LED0 and BTN0 are header pins here, named by a board file as for a carrier board.
    cat >"$d/rpi-3b-qemu.yaml" <<'EOF'
# tests/pi3/run.sh: the emulated Raspberry Pi 3 B with an LED on D17 and a button on D27.
version: 1
id: rpi-3b-qemu
name: Raspberry Pi 3 Model B (QEMU raspi3b, LED on D17, button on D27)
extends: rpi-3b
aliases: {LED0: D17, BTN0: D27}
sources:
  - "tests/pi3/run.sh: header pins 11 (D17) and 13 (D27) as the demo's LED and button"
EOF
    rm -f "$SD"
    truncate -s 4G "$SD" || return 1
    mkfs.ext4 -q -F -U "$UUID" -L pi3-root -d "$ROOTFS" "$SD" || return 1
    NOTE="$(du -m --apparent-size "$SD" | cut -f1) MB sparse, $(du -m "$SD" | cut -f1) MB used; mkfs.ext4 -d"
}

s_boot() {
    qemu_start || return 1
    wait_for_shell || return 1
    in_guest 'cat /proc/device-tree/model; echo; uname -r; ls -l /dev/ttyS1 /dev/ttyAMA0 /dev/gpiochip*; gpiodetect; systemctl is-system-running' || true
    NOTE="root shell after $BOOT_S s; PL011 on $PTY"
}

s_install() {
    # As docs/raspberry-pi.md says: apt install ./FILE.deb (no network here: every Depends is
    # in the image already), the key, the console on the PL011 (--console: the UART the runtime
    # would choose, the mini UART, is the system console here), a restart.
    in_guest -t 900 'DEBIAN_FRONTEND=noninteractive apt-get install -q -y /srv/pirt/pirt-runtime.deb' || return 1
    in_guest 'dpkg-query -W -f "\${db:Status-Abbrev} \${Package} \${Version}\n" pirt-runtime; id pirt' | tee "$WORK/install.txt" || return 1
    grep -q '^ii *pirt-runtime' "$WORK/install.txt" || return 1
    in_guest "cp /srv/pirt/laptop.pub /etc/pirt/keys/laptop.pub && install -d -m 0755 /etc/pirt/test-keys && cp /srv/pirt/laptop.pub /etc/pirt/test-keys/laptop.pub && cp /srv/pirt/rpi-3b-qemu.yaml $BOARD_FILE &&
        sed -i 's|^PIRT_OPTS=.*|PIRT_OPTS=--console /dev/ttyAMA0 --baud 115200 $EMULATION_OPTS|' /etc/pirt/pirt.conf &&
        grep ^PIRT_OPTS /etc/pirt/pirt.conf && systemctl restart --no-block pirt-runtime && systemctl is-enabled pirt-runtime" || return 1
    NOTE="$(grep '^ii' "$WORK/install.txt" | tr -s ' ' | cut -d' ' -f2-3); $(grep -o 'groups=.*' "$WORK/install.txt")"
}

s_info() {
    wait_for_runtime "$WORK/info-1.json" "$RUNTIME_WAIT_S" || { in_guest 'systemctl status pirt-runtime --no-pager -l; journalctl -b -u pirt-runtime --no-pager | tail -n 40'; return 1; }
    local ok=0
    [ "$(jq -r .board "$WORK/info-1.json")" = rpi-3b ] && echo "ok: board rpi-3b" || { echo "MISSING: board rpi-3b"; ok=1; }
    [ "$(jq -r .scheduling "$WORK/info-1.json")" = FIFO ] && echo "ok: scheduling FIFO" || { echo "MISSING: scheduling FIFO"; ok=1; }
    in_guest 'journalctl -b -u pirt-runtime --no-pager | grep "pirt-runtime: console " | tail -n 2; journalctl -b -u pirt-runtime --no-pager | tail -n 30' | tee "$WORK/journal-info.txt"
    # Given with --console here; the runtime says so, and pirt doctor says what it would have chosen.
    expect "$WORK/journal-info.txt" 'console /dev/ttyAMA0: given with --console' "the runtime logged its console and why" || ok=1
    NOTE="answered $ANSWER_S s after the restart: board $(jq -r .board "$WORK/info-1.json") ($(jq -r .boardName "$WORK/info-1.json")), scheduling $(jq -r .scheduling "$WORK/info-1.json"); $(grep -o 'console /dev/ttyAMA0: .*' "$WORK/journal-info.txt" | head -n 1 | cut -c1-60)"
    return $ok
}

s_fifo() {
    # The unit's process, its user and limits, and every thread's policy (field 41 of
    # /proc/PID/task/TID/stat: 1 = SCHED_FIFO) and priority (field 40), read inside the guest.
    in_guest 'pid=$(systemctl show -P MainPID pirt-runtime); echo "MainPID=$pid"; ps -o user=,pid=,cls=,rtprio=,cmd= -p $pid | cut -c1-100;
        grep -E "^Max (realtime priority|locked memory)" /proc/$pid/limits;
        for t in /proc/$pid/task/*; do s=$(sed "s/.*) //" $t/stat); set -- $s; echo "thread $(basename $t) $(cat $t/comm | tr " " _) policy=${39} rtprio=${38}"; done' >"$WORK/threads.txt"
    cat "$WORK/threads.txt"
    local fifo total user
    fifo=$(grep -c 'policy=1 ' "$WORK/threads.txt")
    total=$(grep -c '^thread ' "$WORK/threads.txt")
    user=$(awk '/^MainPID/ { getline; print $1 }' "$WORK/threads.txt")
    in_guest 'systemctl show pirt-runtime -p User -p LimitRTPRIO -p WatchdogUSec -p DevicePolicy -p ProtectSystem -p NRestarts -p ActiveState -p SubState' | tee "$WORK/unit.txt"
    [ "$user" = pirt ] || { echo "the runtime runs as '$user', not pirt"; return 1; }
    [ "$fifo" -gt 0 ] || { echo "no thread of the runtime is SCHED_FIFO"; return 1; }
    NOTE="user $user: $fifo of $total threads SCHED_FIFO ($(grep 'policy=1 ' "$WORK/threads.txt" | sed 's/.*rtprio=//' | sort -n | uniq | tr '\n' ' ')); $(grep -E '^(WatchdogUSec|NRestarts)' "$WORK/unit.txt" | tr '\n' ' ')"
}

set_pirt_opts() { # set_pirt_opts OPTIONS: pirt.conf's PIRT_OPTS, then a restart (the unit's)
    in_guest "sed -i 's|^PIRT_OPTS=.*|PIRT_OPTS=$1|' /etc/pirt/pirt.conf && grep ^PIRT_OPTS /etc/pirt/pirt.conf && systemctl restart --no-block pirt-runtime"
}

s_board_file() {
    set_pirt_opts "--console /dev/ttyAMA0 --baud 115200 --board-file $BOARD_FILE $EMULATION_OPTS" || return 1
    sleep 5 # the restart stops the old runtime first; then ask until the new one answers
    wait_for_runtime "$WORK/info-2.json" "$RUNTIME_WAIT_S" || return 1
    [ "$(jq -r .board "$WORK/info-2.json")" = rpi-3b-qemu ] || { echo "board is not rpi-3b-qemu"; return 1; }
    NOTE="--board-file $BOARD_FILE (extends rpi-3b; LED0=D17, BTN0=D27): answered after $ANSWER_S s"
}

bundle() { # bundle NAME VERSION KEY OUT [--project DIR | --jar JAR] --main CLASS
    local name=$1 version=$2 key=$3 out=$4
    shift 4
    "$PIRT" bundle "$@" --name "$name" --version "$version" --boards rpi-3b-qemu,rpi-3b \
        --key "$WORK/keys/$key.key" --public-key "$WORK/keys/$key.pub" --out "$out" >/dev/null
}

flash() { # flash BUNDLE: runs pirt flash, sets FLASH_RC and FLASH_S, output in FLASH_OUT
    FLASH_OUT="$WORK/flash-$(basename "$1").txt"
    local t0=$SECONDS
    "$PIRT" flash --port "$PTY" "${PIRT_TIMEOUT[@]}" --progress lines --verdict-timeout-ms 600000 "$1" >"$FLASH_OUT" 2>&1
    FLASH_RC=$?
    FLASH_S=$((SECONDS - t0))
    cat "$FLASH_OUT"
    echo "exit code $FLASH_RC after $FLASH_S s"
}

demo_bundle() { # demo_bundle VERSION [KEY]
    DEMO="$WORK/demo-$1${2:+-$2}.pirt"
    [ -f "$DEMO" ] || bundle demo "$1" "${2:-laptop}" "$DEMO" --project "$REPO/examples/demo" --main io.pirt.examples.demo.Demo
}

s_flash_v1() {
    demo_bundle 1.0.0 || return 1
    flash "$DEMO"
    [ $FLASH_RC = 0 ] && expect "$FLASH_OUT" '^committed demo 1\.0\.0' "committed demo 1.0.0" || return 1
    NOTE="committed demo 1.0.0 in $FLASH_S s ($(du -k "$DEMO" | cut -f1) KB bundle)"
}

# A console session the script types into (as tests/arm64/run.sh): console_open LOG;
# console_type LINE; console_close.
console_open() {
    CONSOLE_LOG=$1
    rm -f "$WORK/console.in" "$CONSOLE_LOG"
    mkfifo "$WORK/console.in"
    "$PIRT" console --port "$PTY" "${PIRT_TIMEOUT[@]}" --log "$CONSOLE_LOG" <"$WORK/console.in" >/dev/null 2>"$CONSOLE_LOG.err" &
    CONSOLE_PID=$!
    HELPER_PIDS+=("$CONSOLE_PID")
    exec 9>"$WORK/console.in"
    wait_for_line "$CONSOLE_LOG.err" 'connected to' 120 "$CONSOLE_PID" || { cat "$CONSOLE_LOG.err"; console_close; return 1; }
}
console_type() { echo "$1" >&9; }
console_close() {
    exec 9>&-
    timeout 30 tail --pid="$CONSOLE_PID" -f /dev/null
    kill "$CONSOLE_PID" 2>/dev/null
    wait "$CONSOLE_PID" 2>/dev/null
}

s_console() {
    local logf="$WORK/console-1.log" ok=0
    console_open "$logf" || return 1
    # The demo prints a line a second from each thread once its JVM is going.
    wait_for_line "$logf" 'printer-high: high #' "$APP_WAIT_S" "$CONSOLE_PID"
    wait_for_line "$logf" 'printer-low: low #' 120 "$CONSOLE_PID"
    console_type info
    wait_for_line "$logf" 'application:.*demo' 60 "$CONSOLE_PID"
    console_close
    cat "$logf"
    expect "$logf" 'printer-high: high #[0-9]+' "the demo's high-priority thread prints (streamed live)" || ok=1
    expect "$logf" 'printer-low: low #[0-9]+' "the low-priority thread prints" || ok=1
    expect "$logf" 'application:.*demo' "the shell answered 'info' typed on the console" || ok=1
    "$PIRT" logs --port "$PTY" "${PIRT_TIMEOUT[@]}" -n 400 >"$WORK/logs-1.txt" 2>&1
    expect "$WORK/logs-1.txt" 'demo 1\.0\.0 starting on' "the demo said which version started" || ok=1
    grep -E 'scheduling (FIFO|NICE|NONE)' "$WORK/logs-1.txt" | head -n 2
    NOTE="$(grep -cE 'printer-(high|normal|low)' "$logf") demo lines streamed; app: $(grep -oE 'scheduling (FIFO|NICE|NONE)' "$WORK/logs-1.txt" | head -n 1)"
    return $ok
}

s_pirt_test() {
    # hello-world's on-board tests in the board's application JVM. The jumper test is left
    # out: it needs D22 wired to D23, and QEMU's GPIO model drives no input from outside. The
    # edge test asks the host to `press BTN0`, which only a simulated board can do: it must
    # come back skipped with that reason, not as an error.
    local d="$REPO/examples/hello-world" reports="$WORK/pirt-reports/hello-world" ok=0 f c=io.pirt.examples.hello.OnBoardTest
    rm -rf "$reports"
    "$PIRT" test --port "$PTY" "${PIRT_TIMEOUT[@]}" --timeout 1200s --reports "$reports" \
        --key "$WORK/keys/laptop.key" --public-key "$WORK/keys/laptop.pub" \
        --select "$c#helloAndWorldTakeTurnsUnderTheLock" --select "$c#theBoardHasTheProfilesPins" \
        --select "$c#theButtonPressIsSeenByAnEdgeCallback" \
        --classpath "$d/target/classes" "$d/target/test-classes" >"$WORK/pirt-test.txt" 2>&1
    [ $? = 0 ] || ok=1
    cat "$WORK/pirt-test.txt"
    ls "$reports"/TEST-*.xml >/dev/null 2>&1 || { echo "no Surefire reports (TEST-*.xml) in $reports"; return 1; }
    for f in "$reports"/TEST-*.xml; do
        sed -n 's/.*<testsuite[^>]* name="\([^"]*\)"[^>]* tests="\([0-9]*\)"[^>]* failures="\([0-9]*\)"[^>]* errors="\([0-9]*\)"[^>]* skipped="\([0-9]*\)".*/\1 tests=\2 failures=\3 errors=\4 skipped=\5/p' "$f"
        grep -Eq '<testsuite[^>]* (errors|failures)="[1-9]' "$f" && ok=1
    done
    expect "$WORK/pirt-test.txt" 'Tests run: 3, Failures: 0, Errors: 0, Skipped: 1' "2 passed, the edge test skipped" || ok=1
    expect "$WORK/pirt-test.txt" 'only on the simulated board' "the skip says why" || ok=1
    expect "$WORK/pirt-test.txt" 'the board runs demo 1\.0\.0 again' "the demo came back after the tests" || ok=1
    NOTE="$(grep -m1 '^Tests run' "$WORK/pirt-test.txt"); skipped: the BTN0 edge (no one to press it); left out: the D22->D23 jumper (no input driven in QEMU)"
    return $ok
}

s_flash_v2() {
    demo_bundle 1.1.0 || return 1
    flash "$DEMO"
    [ $FLASH_RC = 0 ] && expect "$FLASH_OUT" '^committed demo 1\.1\.0' "committed demo 1.1.0" || return 1
    INSTALL_S=$FLASH_S # the length of an install, for the power cuts' moments
    wait_for_app "$WORK/info-v2.json" 'demo 1\.1\.0 starting on' "$APP_WAIT_S" || return 1
    NOTE="committed demo 1.1.0 in $FLASH_S s; runs $(jq -r '.bundle.name + " " + .bundle.version + " slot " + .bundle.slot' "$WORK/info-v2.json")"
}

s_flash_bad() {
    demo_bundle 1.2.0 stranger || return 1
    flash "$DEMO"
    [ $FLASH_RC = 3 ] || { echo "expected exit code 3 (refused), got $FLASH_RC"; return 1; }
    "$PIRT" info --json --port "$PTY" "${PIRT_TIMEOUT[@]}" >"$WORK/info-3.json" || return 1
    [ "$(jq -r .bundle.version "$WORK/info-3.json")" = 1.1.0 ] || { echo "the board no longer runs 1.1.0"; return 1; }
    NOTE="exit 3: $(grep -m1 -o 'refused .*' "$FLASH_OUT" | cut -c1-90)"
}

s_gpio() {
    "$PIRT" bundle --jar "$WORK/gpio-check.jar" --main io.pirt.tests.pi3.GpioCheck --name gpio-check --version 1.5.0 \
        --boards rpi-3b-qemu,rpi-3b --key "$WORK/keys/laptop.key" --public-key "$WORK/keys/laptop.pub" \
        --out "$WORK/gpio-check-1.5.0.pirt" >/dev/null || return 1
    flash "$WORK/gpio-check-1.5.0.pirt"
    [ $FLASH_RC = 0 ] || return 1
    wait_for_app "$WORK/info-gpio.json" 'gpio-check: alive #' "$APP_WAIT_S" || return 1
    local ok=0
    grep -a 'gpio-check:' "$WORK/info-gpio.json.logs" | tee "$WORK/gpio-app.txt"
    expect "$WORK/gpio-app.txt" 'D22 \(line 22\) wrote 1, read back 1' "D22 driven high reads back high" || ok=1
    expect "$WORK/gpio-app.txt" 'D22 \(line 22\) wrote 0, read back 0' "D22 driven low reads back low" || ok=1
    # The kernel's view: the line held by the application, under pirt's consumer name.
    in_guest 'gpioinfo -c gpiochip0 2>/dev/null || gpioinfo gpiochip0' >"$WORK/gpioinfo.txt"
    grep -E 'line +(17|22|27):' "$WORK/gpioinfo.txt"
    expect "$WORK/gpioinfo.txt" 'line +22:.*pirt-D22' "gpioinfo: line 22 output, consumer pirt-D22" || ok=1
    # A second request for the line from another process: libgpiod's gpioget inside is
    # refused by the kernel (EBUSY); the runtime's own shell refuses before asking the kernel.
    in_guest 'gpioget -c gpiochip0 22 2>&1; echo "status $?"' >"$WORK/gpioget.txt"
    cat "$WORK/gpioget.txt"
    expect "$WORK/gpioget.txt" '[Bb]usy' "gpioget on line 22: busy" || ok=1
    console_open "$WORK/gpio-shell.log" || return 1
    console_type "gpio read D22"
    wait_for_line "$WORK/gpio-shell.log" 'error' 120 "$CONSOLE_PID"
    console_close
    cat "$WORK/gpio-shell.log"
    expect "$WORK/gpio-shell.log" 'error: pin D22 is in use by the application' "the runtime's shell: gpio read D22 refused, in use" || ok=1
    NOTE="D22 1->1 0->0; gpioinfo: $(grep -E 'line +22:' "$WORK/gpioinfo.txt" | tr -s ' \t' ' ' | cut -c1-60); gpioget: busy; edges: not emulated"
    return $ok
}

s_app_jvm() {
    # gpio-check is running (step before): one thread of its own at PRIO_NORMAL ("Thread-N"),
    # GPIO through Pi4J. Its JVM's real-time threads must be that one only (not the JVM's or the
    # libraries' housekeeping, which used to inherit FIFO from the runtime); Pi4J's SLF4J must
    # not print its no-provider warnings; and the service's memory, as systemd counts it.
    in_guest 'pid=$(pgrep -f io.pirt.hal.AppLauncher | head -n 1); echo "app pid $pid user $(ps -o user= -p $pid)";
        ps -L -o cls=,rtprio=,comm= -p $pid' >"$WORK/app-threads.txt" || return 1
    cat "$WORK/app-threads.txt"
    local ok=0 fifo foreign
    fifo=$(awk '$1 == "FF"' "$WORK/app-threads.txt")
    foreign=$(awk '$1 == "FF" && $3 !~ /^Thread-[0-9]+$/' "$WORK/app-threads.txt")
    [ -n "$fifo" ] && echo "ok: the application's own thread is real-time: $(echo $fifo)" || { echo "MISSING: no SCHED_FIFO thread in the application's JVM"; ok=1; }
    [ -z "$foreign" ] && echo "ok: no other thread is real-time" || { echo "FAIL: real-time threads the application did not ask for: $(echo $foreign)"; ok=1; }
    expect "$WORK/app-threads.txt" '^app pid [0-9]+ user pirt' "the application runs as user pirt" || ok=1
    "$PIRT" logs --port "$PTY" "${PIRT_TIMEOUT[@]}" -n 400 >"$WORK/logs-gpio.txt" 2>&1 || ok=1
    if grep -q 'SLF4J' "$WORK/logs-gpio.txt"; then echo "FAIL: SLF4J lines in pirt logs:"; grep 'SLF4J' "$WORK/logs-gpio.txt"; ok=1; else echo "ok: no SLF4J line in pirt logs"; fi
    in_guest 'ls -l /dev/gpiochip0; id pirt; systemctl show pirt-runtime -p MemoryCurrent -p MemoryPeak' | tee "$WORK/app-memory.txt"
    expect "$WORK/app-memory.txt" '^crw-rw---- .* root gpio .*/dev/gpiochip0' "/dev/gpiochip0: group gpio, mode 0660 (the package's rule)" || ok=1
    local cur peak
    cur=$(sed -n 's/^MemoryCurrent=//p' "$WORK/app-memory.txt")
    peak=$(sed -n 's/^MemoryPeak=//p' "$WORK/app-memory.txt")
    local mem="not counted by systemd ($cur, $peak)"
    [[ "$cur" =~ ^[0-9]+$ && "$peak" =~ ^[0-9]+$ ]] && mem="$((cur / 1048576)) MB (peak $((peak / 1048576)) MB)"
    NOTE="FIFO: $(echo $fifo | cut -c1-40); service memory $mem"
    return $ok
}

# One power cut: flash demo VERSION, SIGKILL QEMU after DELAY seconds, boot again from the same
# SD image, and check what the runtime does by itself.
CUT_LOG=()
power_cut() { # power_cut INDEX VERSION DELAY_S
    local k=$1 version=$2 delay=$3 before phase fpid spid running
    before=$(jq -r '.bundle.name + " " + .bundle.version' "$WORK/info-before-cut.json")
    demo_bundle "$version" || return 1
    # The runtime's console log as it is written, over the system console: what the runtime
    # had done when the power went (the journal's last lines may not have reached the card).
    python3 "$GUEST" "$CON" 0 --stream 'tail -n 0 -F /var/lib/pirt/log/console.log' >"$WORK/cut-$k.stream" 2>&1 &
    spid=$!
    HELPER_PIDS+=("$spid")
    sleep 2
    "$PIRT" flash --port "$PTY" "${PIRT_TIMEOUT[@]}" --progress lines --verdict-timeout-ms 600000 "$DEMO" >"$WORK/cut-$k.flash" 2>&1 &
    fpid=$!
    HELPER_PIDS+=("$fpid")
    sleep "$delay"
    qemu_kill
    echo "power cut $k: QEMU killed $delay s into the flash of demo $version (running before: $before)"
    sleep 1
    kill "$fpid" "$spid" 2>/dev/null
    wait "$fpid" "$spid" 2>/dev/null
    echo "--- the flash:"
    cat "$WORK/cut-$k.flash"
    echo "--- the runtime's console log until the cut:"
    cat "$WORK/cut-$k.stream"
    if grep -q "bundle demo $version .*committed\|committed demo $version" "$WORK/cut-$k.stream" "$WORK/cut-$k.flash"; then
        phase="after commit"
    elif grep -q "bundle demo $version .*installed in slot" "$WORK/cut-$k.stream"; then
        phase="trial"
    elif grep -Eq '^sent [0-9]+ bytes|\] 100%' "$WORK/cut-$k.flash"; then
        phase="install"
    else
        phase="transfer"
    fi
    echo "phase: $phase"
    # Power on again.
    qemu_start || return 1
    wait_for_shell || return 1
    wait_for_app "$WORK/info-cut-$k.json" 'demo [0-9.]+ starting on|gpio-check: alive' "$APP_WAIT_S" || return 1
    "$PIRT" bundles --json --port "$PTY" "${PIRT_TIMEOUT[@]}" >"$WORK/bundles-cut-$k.json" || return 1
    cat "$WORK/info-cut-$k.json"
    echo
    cat "$WORK/bundles-cut-$k.json"
    echo
    running=$(jq -r '.bundle.name + " " + .bundle.version' "$WORK/info-cut-$k.json")
    local ok=0 committed trials
    committed=$(jq '[.slots[] | select((.role | ascii_downcase) == "committed")] | length' "$WORK/bundles-cut-$k.json")
    trials=$(jq '[.slots[] | select((.role | ascii_downcase) == "trial")] | length' "$WORK/bundles-cut-$k.json")
    [ "$committed" = 1 ] && echo "ok: exactly one committed slot" || { echo "FAIL: $committed committed slots"; ok=1; }
    [ "$trials" = 0 ] && echo "ok: no trial left" || { echo "FAIL: $trials slots on trial"; ok=1; }
    case "$running" in
    "$before" | "demo $version") echo "ok: runs $running (before the cut: $before; flashed: demo $version)" ;;
    *) echo "FAIL: runs $running, neither $before nor demo $version"; ok=1 ;;
    esac
    if [ "$phase" = "after commit" ] && [ "$running" != "demo $version" ]; then
        echo "FAIL: demo $version was committed before the cut, yet $running runs"
        ok=1
    fi
    # Why, from the board: the store's decisions at this boot (console log) and the journal.
    "$PIRT" logs --port "$PTY" "${PIRT_TIMEOUT[@]}" -n 400 >"$WORK/logs-cut-$k.txt" 2>&1
    in_guest 'journalctl --list-boots --no-pager | tail -n 3; echo "--- the boot before (cut):";
        journalctl -b -1 -u pirt-runtime --no-pager -o short-monotonic | tail -n 8; echo "--- this boot:";
        journalctl -b -u pirt-runtime --no-pager -o short-monotonic | tail -n 25' >"$WORK/journal-cut-$k.txt"
    cat "$WORK/journal-cut-$k.txt"
    echo "--- the store at this boot (console log):"
    awk '/pirt runtime .* on .*, console / { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$WORK/logs-cut-$k.txt" |
        grep -aE 'bundle store|library cache|bundle |rolled|trial|verif' | tee "$WORK/why-cut-$k.txt"
    if grep -q 'failed verification' "$WORK/logs-cut-$k.txt"; then
        echo "FAIL: a slot failed verification at boot"
        ok=1
    fi
    # The journal of this boot says what the runtime started and why (the store's boot notes).
    expect "$WORK/journal-cut-$k.txt" 'pirt-runtime: starting bundle' "the journal says which bundle the runtime started" || ok=1
    local why
    why=$(grep -ao 'pirt-runtime: bundle store: .*' "$WORK/journal-cut-$k.txt" | head -n 1 | sed 's/^pirt-runtime: bundle store: //' | cut -c1-70)
    [ -n "$why" ] || why=$(grep -ao 'pirt-runtime: starting bundle .*' "$WORK/journal-cut-$k.txt" | tail -n 1 | sed 's/^pirt-runtime: //' | cut -c1-70)
    CUT_LOG+=("cut $k at $delay s: $phase -> runs $running; journal: ${why:-no store note}")
    NOTE="cut at $delay s ($phase) -> $running, 1 committed, verified; journal: ${why:-no store note}"
    jq -r '.' "$WORK/info-cut-$k.json" >"$WORK/info-before-cut.json"
    return $ok
}

CUT_INDEX=0
s_power_cut() {
    CUT_INDEX=$((CUT_INDEX + 1))
    local k=$CUT_INDEX span delay
    if [ ! -f "$WORK/info-before-cut.json" ]; then
        "$PIRT" info --json --port "$PTY" "${PIRT_TIMEOUT[@]}" >"$WORK/info-before-cut.json" || return 1
    fi
    # The moment: stratified over 0 .. 1.3 x a normal install (the 1.1.0 rollout), cut k in
    # the k-th of CUTS equal parts, at a random point of it: every phase gets its turn.
    span=$(echo "${INSTALL_S:-60} * 1.3" | bc)
    delay=$(echo "scale=1; $span * (($k - 1) + $((RANDOM % 1000)) / 1000) / $CUTS" | bc)
    [ "$(echo "$delay < 1" | bc)" = 1 ] && delay=1.0
    power_cut "$k" "2.$k.0" "$delay"
}

s_reboot() {
    "$PIRT" info --json --port "$PTY" "${PIRT_TIMEOUT[@]}" >"$WORK/info-before-reboot.json" || return 1
    local before
    before=$(jq -r '.bundle.name + " " + .bundle.version' "$WORK/info-before-reboot.json")
    # A clean reboot from inside; -no-reboot makes QEMU end at the reset, and it is started
    # again on the same SD image (as the board's power stays on and it boots again).
    in_guest -t 30 'systemctl reboot' || true
    if ! qemu_wait_exit 300; then
        # A reset QEMU does not act on: the guest shut down cleanly and stopped there.
        echo "QEMU did not end at the guest's reset within 300 s: stopping it (the guest has shut down)"
        qemu_kill
    fi
    qemu_start || return 1
    wait_for_shell || return 1
    # Nothing asked of the board: its application must be running by itself. Read inside.
    local deadline=$((SECONDS + APP_WAIT_S)) t0=$SECONDS
    until in_guest 'systemctl is-active pirt-runtime && [ "$(pgrep -c -u pirt java)" -ge 2 ]' >"$WORK/reboot-check.txt"; do
        [ $SECONDS -lt $deadline ] || { echo "no application process of user pirt within $APP_WAIT_S s"; cat "$WORK/reboot-check.txt"; return 1; }
        sleep 10
    done
    in_guest 'pgrep -u pirt -a java | cut -c1-160; journalctl -b -u pirt-runtime --no-pager | tail -n 10'
    wait_for_app "$WORK/info-after-reboot.json" '.' 120 || return 1
    local after
    after=$(jq -r '.bundle.name + " " + .bundle.version' "$WORK/info-after-reboot.json")
    [ "$after" = "$before" ] || { echo "before the reboot $before, after it $after"; return 1; }
    NOTE="$after running again $((SECONDS - t0)) s after the shell, $BOOT_S s boot; nothing sent by the host"
}

s_every_board() {
    # examples/every-board as shipped: the runtime back on the built-in rpi-3b profile (no board
    # file), the bundle unmodified. QEMU's Pi has no /sys/class/leds, so it must carry on without
    # the ACT LED and say so.
    set_pirt_opts "--console /dev/ttyAMA0 --baud 115200 $EMULATION_OPTS" || return 1
    sleep 5 # the restart stops the old runtime first; then ask until the new one answers
    wait_for_runtime "$WORK/info-every.json" "$RUNTIME_WAIT_S" || return 1
    [ "$(jq -r .board "$WORK/info-every.json")" = rpi-3b ] || { echo "board is not rpi-3b"; return 1; }
    # Version 3.0.0: the board refuses a bundle older than the committed one (demo 2.k.0 after
    # the power cuts) even when it is another application (docs/pi3.md, Findings).
    local b="$WORK/every-board-3.0.0.pirt" ok=0
    (cd "$REPO" && mvn -q -o -B -Dstyle.color=never -pl examples/every-board -am package -DskipTests) || return 1
    "$PIRT" bundle --project "$REPO/examples/every-board" --main io.pirt.examples.everyboard.EveryBoard --name every-board \
        --version 3.0.0 --boards rpi-3b --key "$WORK/keys/laptop.key" --public-key "$WORK/keys/laptop.pub" --out "$b" >/dev/null || return 1
    flash "$b"
    [ $FLASH_RC = 0 ] && expect "$FLASH_OUT" '^committed every-board 3\.0\.0' "committed every-board 3.0.0" || return 1
    wait_for_app "$WORK/info-every-app.json" 'tick [0-9]+: D22' "$APP_WAIT_S" || return 1
    grep -a -E 'every-board|status LED|tick [0-9]+' "$WORK/info-every-app.json.logs" >"$WORK/every-board.txt" # -a: the log has µ
    head -n 12 "$WORK/every-board.txt"
    expect "$WORK/every-board.txt" 'every-board 3\.0\.0 on Raspberry Pi 3 Model B \(board rpi-3b\)' "runs on the built-in rpi-3b profile" || ok=1
    expect "$WORK/every-board.txt" 'status LED .* carrying on without' "no LED here: said so and carried on" || ok=1
    NOTE="committed in $FLASH_S s on rpi-3b (no board file); $(grep -m1 -o 'tick [0-9]*: [^;]*' "$WORK/every-board.txt")"
    return $ok
}

s_shutdown() {
    if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
        in_guest -t 30 'sync; systemctl poweroff' || true
        local deadline=$((SECONDS + 60))
        while kill -0 "$QEMU_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 1; done
        # QEMU's raspi3b cannot power off: after the guest halted, end QEMU.
        qemu_kill
    fi
    kill_helpers
    local left
    left=$(pgrep -f "qemu-system-aarch64.*$SD" || true)
    [ -z "$left" ] || { echo "QEMU processes left: $left"; return 1; }
    [ -z "$(findmnt -rn -o TARGET | grep -F "$CACHE")" ] || { echo "something is mounted under $CACHE"; return 1; }
    NOTE="no QEMU, no helper, nothing mounted under $CACHE"
}

kill_helpers() {
    local p
    for p in ${HELPER_PIDS[@]+"${HELPER_PIDS[@]}"}; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    HELPER_PIDS=()
}

cleanup() {
    local rc=$?
    kill_helpers
    [ -n "$QEMU_PID" ] && kill -KILL "$QEMU_PID" 2>/dev/null
    return $rc
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

# --- main -----------------------------------------------------------------------------------

RUN_T0=$(date +%s.%N)
mkdir -p "$CACHE" || exit 1
rm -rf --one-file-system "$WORK" && mkdir -p "$LOGS" || exit 1
log "seed $SEED; logs in $LOGS"
RANDOM=$SEED

step "host: qemu-system-aarch64, tools" s_host critical
step "arm64 trixie root filesystem" s_rootfs critical
step "kernel, initrd, device tree" s_boot_files critical
step "build .deb, pirt tool, examples" s_build critical
step "SD image (mkfs.ext4 -d)" s_image critical
step "boot raspi3b to a root shell" s_boot critical
step "apt install ./pirt-runtime.deb, ttyAMA0" s_install critical
step "unit starts runtime: info rpi-3b, FIFO" s_info critical
step "non-root SCHED_FIFO (/proc/PID/task)" s_fifo
step "board file rpi-3b-qemu (LED0, BTN0)" s_board_file critical
step "flash demo 1.0.0" s_flash_v1 critical
step "console output" s_console
step "pirt test: hello-world, Surefire" s_pirt_test
step "roll out demo 1.1.0 (committed)" s_flash_v2
step "untrusted bundle refused (exit 3)" s_flash_bad
step "GPIO on pinctrl-bcm2835 via Pi4J gpiod" s_gpio
step "app JVM: own threads FIFO, no SLF4J, memory" s_app_jvm
for ((c = 1; c <= CUTS; c++)); do
    step "power cut $c of $CUTS" s_power_cut critical
done
step "clean reboot: app runs by itself" s_reboot
step "every-board example as shipped (rpi-3b)" s_every_board
ABORTED=""
step "shut down, nothing left" s_shutdown

summary "tests/pi3/run.sh summary ($(date -u '+%Y-%m-%d %H:%M UTC'), cache $CACHE, logs $LOGS, seed $SEED)" 140 | tee "$WORK/summary.txt"
for l in ${CUT_LOG[@]+"${CUT_LOG[@]}"}; do echo "$l"; done | tee -a "$WORK/summary.txt"
[ $FAILED = 0 ]
