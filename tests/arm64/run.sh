#!/usr/bin/env bash
# tests/arm64/run.sh: the pirt-runtime Debian package installed and driven in an emulated
# arm64 Debian trixie userland (what a Raspberry Pi runs), end to end. docs/arm64.md says what
# each step proves and how to read a failure.
#
#   sudo tests/arm64/run.sh [--fresh] [--keep-rootfs]
#
#   --fresh        build the root filesystem again (and empty the apt download cache)
#   --keep-rootfs  leave this run's root filesystem in CACHE/last-run/rootfs (default: removed)
#
# Environment: PIRT_ARM64_CACHE (default /var/cache/pirt-arm64): the cached root filesystem
# (base/), downloaded .debs (apt-archives/) and the last run's logs (last-run/).
# PIRT_ARM64_MIRROR (default http://deb.debian.org/debian), PIRT_ARM64_STEP_TIMEOUT (seconds a
# step may take, default 900).
#
# Needs root, and on the host: qemu-user-static binfmt-support mmdebstrap (apt-get install),
# a JDK 21+ and Maven (as ./pirt does). Prints a summary table (step, result, time) and exits
# 0 when every step passed (or was skipped for a stated reason), 1 when one failed, 2 on usage.
#
# Safety: all mounts are made in a private mount namespace of this script (unshare), so the
# host never sees them and they vanish with it; they are also unmounted in a trap. Nothing
# is ever deleted while something is mounted under it (findmnt, in this namespace and the host's).
set -uo pipefail

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
FRESH=0
KEEP=0
for a in "$@"; do
    case "$a" in
    --fresh) FRESH=1 ;;
    --keep-rootfs) KEEP=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $a" >&2; usage >&2; exit 2 ;;
    esac
done

if [ "$(id -u)" != 0 ]; then
    echo "run.sh: needs root (mmdebstrap, chroot, mounts): sudo $0 $*" >&2
    exit 2
fi

# Into a mount namespace of our own, private: our bind mounts never reach the host's /.
if [ -z "${PIRT_ARM64_NS:-}" ]; then
    command -v unshare >/dev/null || { echo "run.sh: unshare (util-linux) is missing" >&2; exit 1; }
    PIRT_ARM64_NS=1 exec unshare --mount --propagation private -- "$0" "$@"
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${PIRT_ARM64_CACHE:-/var/cache/pirt-arm64}
MIRROR=${PIRT_ARM64_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
JRE=openjdk-21-jre-headless
STEP_TIMEOUT=${PIRT_ARM64_STEP_TIMEOUT:-900}
BASE="$CACHE/base"
ARCHIVES="$CACHE/apt-archives"
WORK="$CACHE/last-run"
RFS="$WORK/rootfs"
LOGS="$WORK/logs"
PIRT="$REPO/pirt"
PIRT_TIMEOUT=(--timeout-ms 20000) # the board answers slowly under emulation
# Emulation runs the JVMs 20 to 100 times slower than a Pi: the application gets longer to
# start and to answer its heartbeat (pirt.conf's PIRT_OPTS, as a user would set them).
EMULATION_OPTS="--start-timeout-ms 480000 --hang-timeout-ms 60000"
START_WAIT_S=600 # how long the runtime may take to answer its first request (its JVM's start)
RT_PID=""
CABLE_PID=""
CABLE_HOST=""
CABLE_BOARD=""
MOUNTS=() # mount points made by this run, in order

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# --- mounts and removal ------------------------------------------------------------------

# The mount points under DIR, in this namespace and in the host's (PID 1's).
mounts_under() {
    local dir
    dir=$(readlink -f "$1" 2>/dev/null || echo "$1")
    {
        findmnt -rn -o TARGET
        findmnt -rn -o TARGET --task 1 2>/dev/null
    } | awk -v d="$dir" '$0 == d || index($0, d "/") == 1' | sort -u
}

# Removes DIR, refusing when anything is mounted under it (a bind-mounted /dev would go with it).
safe_remove() {
    local dir=$1 m
    [ -e "$dir" ] || return 0
    m=$(mounts_under "$dir")
    if [ -n "$m" ]; then
        echo "run.sh: NOT removing $dir: mounted under it: $m" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

do_mount() { # do_mount TARGET MOUNT-ARGS...
    local target=$1
    shift
    mkdir -p "$target"
    mount "$@" "$target" || return 1
    mount --make-private "$target"
    MOUNTS+=("$target")
}

unmount_all() {
    local i failed=0
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        if mountpoint -q "${MOUNTS[i]}"; then
            umount "${MOUNTS[i]}" || umount -l "${MOUNTS[i]}" || failed=1
        fi
    done
    MOUNTS=()
    [ -z "$(mounts_under "$RFS")" ] && [ $failed = 0 ]
}

in_rootfs() { # in_rootfs CMD...: as root in the root filesystem, a clean environment
    chroot "$RFS" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# --- steps and the summary: tests/steps.sh ------------------------------------------------

# shellcheck source=../steps.sh disable=SC1091
source "$REPO/tests/steps.sh"

# Waits until FILE has a line matching REGEX (grep -E), at most SECONDS. Polls: a log file
# written by another process has no event a shell can wait on.
wait_for_line() {
    local file=$1 regex=$2 seconds=$3 deadline
    deadline=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -Eq -- "$regex" "$file" 2>/dev/null && return 0
        if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then
            echo "process $4 ended while waiting for /$regex/ in $file"
            return 1
        fi
        sleep 0.5
    done
    echo "no line matching /$regex/ in $file within $seconds s"
    return 1
}

# Asks the board for its console log (pirt logs) until it has a line matching REGEX, at most
# SECONDS; leaves the last answer in FILE. An application's lines come once its JVM is going,
# which under emulation can be long after the board said "committed".
wait_for_logs() { # wait_for_logs FILE REGEX SECONDS
    local file=$1 regex=$2 deadline=$((SECONDS + $3))
    while "$PIRT" logs --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" -n 300 >"$file" 2>&1; do
        grep -Eq -- "$regex" "$file" && return 0
        [ $SECONDS -lt $deadline ] || break
        sleep 2
    done
    echo "no line matching /$regex/ in the board's log (pirt logs) within $3 s"
    return 1
}


# --- the processes: cable and runtime ----------------------------------------------------

start_cable() {
    local out="$WORK/cable.out"
    rm -f "$out"
    "$HOST_JAVA" --enable-native-access=ALL-UNNAMED -cp "$REPO/flash-tools/target/lib/*:$WORK/classes" \
        io.pirt.tests.arm64.ConsoleCable "$WORK/cable" >"$out" 2>&1 &
    CABLE_PID=$!
    wait_for_line "$out" '^host ' 30 "$CABLE_PID" || { cat "$out"; return 1; }
    CABLE_BOARD=$(sed -n 's/^board //p' "$out")
    CABLE_HOST=$(sed -n 's/^host //p' "$out")
    # As /dev/ttyGS0 on a Pi: group dialout, read-write for the group; the unit's user is in it.
    local dialout
    dialout=$(awk -F: '$1 == "dialout" { print $3 }' "$RFS/etc/group")
    chgrp "$dialout" "$CABLE_BOARD" && chmod 660 "$CABLE_BOARD"
    echo "cable: board end $CABLE_BOARD (group dialout, gid $dialout), host end $CABLE_HOST"
    ls -l "$CABLE_BOARD"
}

stop_cable() {
    if [ -n "$CABLE_PID" ] && kill -0 "$CABLE_PID" 2>/dev/null; then
        kill -TERM "$CABLE_PID"
        wait "$CABLE_PID" 2>/dev/null
    fi
    CABLE_PID=""
}

# One value of a unit file setting (the last one wins, as in systemd).
unit_value() {
    sed -n "s/^$1=//p" "$UNIT" | tail -n 1
}

# The EnvironmentFile's assignments, as systemd reads them: KEY=VALUE lines, # and ; comments,
# a value's surrounding quotes removed. Sets ENV_ASSIGN (KEY=VALUE words) and PIRT_OPTS_VALUE.
read_environment_file() {
    local spec=$1 file optional=0 line key value
    ENV_ASSIGN=()
    case "$spec" in -*) optional=1; spec=${spec#-} ;; esac
    file="$RFS$spec"
    if [ ! -f "$file" ]; then
        [ $optional = 1 ] && return 0
        echo "EnvironmentFile $spec is missing"
        return 1
    fi
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line#"${line%%[![:space:]]*}"}
        case "$line" in '' | '#'* | ';'*) continue ;; esac
        key=${line%%=*}
        value=${line#*=}
        value=${value%"${value##*[![:space:]]}"}
        case "$value" in \"*\" | \'*\') value=${value:1:${#value}-2} ;; esac
        ENV_ASSIGN+=("$key=$value")
        ENV_VALUES["$key"]=$value
    done <"$file"
}

# ExecStart split into words as systemd does for this unit's line: quotes group, a word that is
# exactly $VAR becomes the variable's value split at white space, ${VAR} its value as one word.
# Anything else with $, %, or \ is refused rather than guessed at. Sets EXEC_WORDS.
split_exec_start() {
    local s=$1 i c q="" w="" inword=0 quoted=0
    local -a raw=() rawq=()
    EXEC_WORDS=()
    case "$s" in [-@:+!]*) echo "ExecStart prefix ${s:0:1} is not handled by run.sh"; return 1 ;; esac
    case "$s" in *%* | *\\*) echo "ExecStart has % or \\ (specifiers, escapes), not handled by run.sh: $s"; return 1 ;; esac
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        if [ -n "$q" ]; then
            if [ "$c" = "$q" ]; then q=""; else w+=$c; fi
            continue
        fi
        case "$c" in
        \' | \") q=$c; inword=1; quoted=1 ;;
        ' ' | $'\t')
            if [ $inword = 1 ]; then raw+=("$w"); rawq+=("$quoted"); fi
            w=""; inword=0; quoted=0 ;;
        *) w+=$c; inword=1 ;;
        esac
    done
    [ -n "$q" ] && { echo "ExecStart has an unclosed quote: $s"; return 1; }
    if [ $inword = 1 ]; then raw+=("$w"); rawq+=("$quoted"); fi
    for i in "${!raw[@]}"; do
        w=${raw[i]}
        if [ "${rawq[i]}" = 0 ] && [[ "$w" =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
            local v=${ENV_VALUES[${BASH_REMATCH[1]}]:-}
            local -a split=()
            read -r -a split <<<"$v"
            EXEC_WORDS+=(${split[@]+"${split[@]}"})
        elif [ "${rawq[i]}" = 0 ] && [[ "$w" =~ ^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$ ]]; then
            EXEC_WORDS+=("${ENV_VALUES[${BASH_REMATCH[1]}]:-}")
        elif [[ "$w" == *\$* ]]; then
            echo "ExecStart word '$w' uses a variable in a way run.sh does not handle"
            return 1
        else
            EXEC_WORDS+=("$w")
        fi
    done
}

# Starts the runtime as pirt-runtime.service would: the unit's ExecStart, User, Group,
# LimitRTPRIO, LimitMEMLOCK and EnvironmentFile, read from the unit the package installed.
start_runtime() {
    local out=$1
    UNIT="$RFS/lib/systemd/system/pirt-runtime.service"
    [ -f "$UNIT" ] || { echo "the package installed no $UNIT"; return 1; }
    local user group rtprio memlock envfile exec_start home
    user=$(unit_value User)
    group=$(unit_value Group)
    rtprio=$(unit_value LimitRTPRIO)
    memlock=$(unit_value LimitMEMLOCK)
    envfile=$(unit_value EnvironmentFile)
    exec_start=$(unit_value ExecStart)
    [ "$memlock" = infinity ] && memlock=unlimited
    declare -gA ENV_VALUES=()
    read_environment_file "$envfile" || return 1
    split_exec_start "$exec_start" || return 1
    home=$(awk -F: -v u="$user" '$1 == u { print $6 }' "$RFS/etc/passwd")
    echo "unit: User=$user Group=$group LimitRTPRIO=$rtprio LimitMEMLOCK=$memlock EnvironmentFile=$envfile"
    echo "unit: ExecStart=$exec_start"
    echo "environment file: ${ENV_ASSIGN[*]}"
    printf 'command line:'
    printf ' [%s]' "${EXEC_WORDS[@]}"
    echo
    # systemd's environment for a system service with User=: PATH, HOME, USER, LOGNAME, SHELL,
    # then the EnvironmentFile's assignments; working directory /.
    local -a env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME="$home" USER="$user" LOGNAME="$user"
        SHELL=/usr/sbin/nologin ${ENV_ASSIGN[@]+"${ENV_ASSIGN[@]}"})
    # The unit's limits. Raising a hard limit needs CAP_SYS_RESOURCE; a host (a container)
    # without it keeps its own, and the scheduling step then says so instead of claiming FIFO.
    LIMITS_APPLIED=1
    local -a limits=(--rtprio="$rtprio:$rtprio" --memlock="$memlock:$memlock")
    if ! prlimit "${limits[@]}" -- true 2>"$WORK/prlimit.err"; then
        LIMITS_APPLIED=0
        echo "NOTE: the unit's limits cannot be set on this host: $(head -n 1 "$WORK/prlimit.err");" \
            "it lacks CAP_SYS_RESOURCE (grep CapEff /proc/self/status). Running with the host's limits:" \
            "RLIMIT_RTPRIO $(ulimit -Hr), RLIMIT_MEMLOCK $(ulimit -Hl) KB"
        limits=()
    fi
    (
        cd "$RFS" || exit 1
        exec prlimit ${limits[@]+"${limits[@]}"} -- \
            chroot "$RFS" /usr/bin/setpriv --reuid="$user" --regid="$group" --init-groups --reset-env -- \
            /usr/bin/env -i -C / "${env[@]}" "${EXEC_WORDS[@]}"
    ) </dev/null >"$out" 2>&1 &
    RT_PID=$!
    echo "runtime started: pid $RT_PID"
}

# Stops the runtime as systemd would (SIGTERM, TimeoutStopSec), and says how it ended.
stop_runtime() {
    [ -n "$RT_PID" ] || return 0
    local stop_s rc
    stop_s=$(sed -n 's/^TimeoutStopSec=//p' "$UNIT" | tail -n 1)
    kill -TERM "$RT_PID" 2>/dev/null
    if timeout "${stop_s:-20}" tail --pid="$RT_PID" -f /dev/null; then
        wait "$RT_PID"
        rc=$?
    else
        echo "the runtime did not stop within ${stop_s} s of SIGTERM (TimeoutStopSec); killing it"
        kill -KILL "$RT_PID"
        wait "$RT_PID"
        rc=137
    fi
    RT_PID=""
    echo "runtime exit status $rc (the unit's SuccessExitStatus: 0 and $(unit_value SuccessExitStatus))"
    LAST_RT_STATUS=$rc
    # Nothing of the runtime's may be left in the root filesystem (its application's JVM).
    local left=() p
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$(readlink -f "$RFS")" ] && left+=("${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" | cut -c1-100)")
    done
    if [ ${#left[@]} -gt 0 ]; then
        echo "processes left in the root filesystem:"
        printf '  %s\n' "${left[@]}"
        return 1
    fi
    [ "$rc" = 0 ] || [ "$rc" = 143 ]
}

set_pirt_opts() {
    sed -i "s|^PIRT_OPTS=.*|PIRT_OPTS=$1|" "$RFS/etc/pirt/pirt.conf"
    grep '^PIRT_OPTS=' "$RFS/etc/pirt/pirt.conf"
}

# A console session the script types into: console_open LOG; console_type LINE; console_close.
console_open() {
    CONSOLE_LOG=$1
    rm -f "$WORK/console.in" "$CONSOLE_LOG"
    mkfifo "$WORK/console.in"
    "$PIRT" console --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" --log "$CONSOLE_LOG" <"$WORK/console.in" >/dev/null \
        2>"$CONSOLE_LOG.err" &
    CONSOLE_PID=$!
    exec 9>"$WORK/console.in"
    wait_for_line "$CONSOLE_LOG.err" 'connected to' 60 "$CONSOLE_PID" || { cat "$CONSOLE_LOG.err"; return 1; }
}
console_type() { echo "$1" >&9; }
console_close() {
    exec 9>&-
    timeout 30 tail --pid="$CONSOLE_PID" -f /dev/null
    wait "$CONSOLE_PID"
}

# --- the steps ---------------------------------------------------------------------------

s_host() {
    local missing=() c
    for c in qemu-aarch64-static update-binfmts mmdebstrap chroot setpriv prlimit findmnt bc mkfifo; do
        command -v "$c" >/dev/null || missing+=("$c")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "missing on this host: ${missing[*]}; install: apt-get install qemu-user-static binfmt-support mmdebstrap bc"
        return 1
    fi
    enable_binfmt_aarch64 || return 1
    head -n 2 /proc/sys/fs/binfmt_misc/qemu-aarch64
    grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 || { echo "qemu-aarch64 is registered but disabled"; return 1; }
    grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 ||
        { echo "qemu-aarch64 is registered without the F flag: the interpreter would be looked up in the chroot"; return 1; }
    qemu-aarch64-static --version | head -n 1
    find_host_jdk || return 1
    echo "host JDK: $HOST_JAVA"
    NOTE="$(qemu-aarch64-static --version | head -n 1 | sed 's/ version / /; s/ (.*//'), binfmt F"
}

s_rootfs() {
    if [ $FRESH = 1 ]; then
        safe_remove "$BASE" || return 1
        safe_remove "$BASE.tmp" || return 1
        safe_remove "$ARCHIVES" || return 1
    fi
    if [ -f "$BASE/.pirt-rootfs" ]; then
        cat "$BASE/.pirt-rootfs"
        NOTE="reused: $(sed -n 's/^built: //p' "$BASE/.pirt-rootfs")"
        return 0
    fi
    safe_remove "$BASE.tmp" || return 1
    local t0=$SECONDS
    # minbase and the JRE the package's Depends names first. The JRE is in the cached root
    # filesystem because installing it under emulation takes about 15 minutes (its
    # ca-certificates-java trigger runs java): apt still checks the package's Depends against
    # it at every install, and pulls the rest (adduser) from the archive. The package lists
    # are kept so later runs install without an apt-get update.
    timeout 2400 mmdebstrap --arch=arm64 --variant=minbase --include="$JRE" --skip=cleanup/apt/lists \
        "$SUITE" "$BASE.tmp" "$MIRROR" || return 1
    [ -z "$(mounts_under "$BASE.tmp")" ] || { echo "mmdebstrap left mounts: $(mounts_under "$BASE.tmp")"; return 1; }
    {
        echo "built: $(date -u '+%Y-%m-%d %H:%M UTC') in $((SECONDS - t0)) s"
        echo "command: mmdebstrap --arch=arm64 --variant=minbase --include=$JRE --skip=cleanup/apt/lists $SUITE ROOTFS $MIRROR"
        echo "debian_version: $(cat "$BASE.tmp/etc/debian_version")"
    } >"$BASE.tmp/.pirt-rootfs"
    mv "$BASE.tmp" "$BASE"
    cat "$BASE/.pirt-rootfs"
    NOTE="built in $((SECONDS - t0)) s, $(du -sm "$BASE" | cut -f1) MB, Debian $(cat "$BASE/etc/debian_version")"
}

s_build() {
    (cd "$REPO" && mvn -q -B -Dstyle.color=never -pl packaging -am package -DskipTests) || return 1
    DEB=$(ls -t "$REPO"/packaging/target/pirt-runtime_*_all.deb | head -n 1)
    [ -f "$DEB" ] || { echo "no packaging/target/pirt-runtime_*_all.deb"; return 1; }
    "$PIRT" --version || return 1 # builds the tool and examples/demo when sources changed
    if ! ls "$REPO"/examples/demo/target/*.jar >/dev/null 2>&1; then
        (cd "$REPO" && mvn -q -B -Dstyle.color=never -pl examples/demo -am package -DskipTests) || return 1
    fi
    rm -rf "$WORK/classes" && mkdir -p "$WORK/classes" || return 1
    "$HOST_JAVAC" --release 21 -d "$WORK/classes" -cp "$REPO/flash-tools/target/lib/*" \
        $(find "$REPO/tests/arm64/src" -name '*.java') || return 1
    "$HOST_JAR" cf "$WORK/gpio-probe.jar" -C "$WORK/classes" io/pirt/tests/arm64/GpioProbe.class || return 1
    NOTE="$(basename "$DEB") ($(du -k "$DEB" | cut -f1) KB)"
}

s_install() {
    safe_remove "$RFS" || return 1
    cp -a --reflink=auto "$BASE" "$RFS" || return 1
    do_mount "$RFS/dev" --bind /dev || return 1
    do_mount "$RFS/dev/pts" --bind /dev/pts || return 1
    do_mount "$RFS/proc" --bind /proc || return 1
    do_mount "$RFS/sys" --bind /sys || return 1
    mkdir -p "$ARCHIVES/partial"
    do_mount "$RFS/var/cache/apt/archives" --bind "$ARCHIVES" || return 1
    cp /etc/resolv.conf "$RFS/etc/resolv.conf"
    cp "$DEB" "$RFS/tmp/" && chmod 644 "$RFS/tmp/$(basename "$DEB")"
    # As docs/raspberry-pi.md says: apt install ./FILE.deb, which resolves the Depends.
    if ! in_rootfs apt-get install -y "/tmp/$(basename "$DEB")"; then
        echo "apt-get install failed; updating the package lists and trying once more"
        in_rootfs apt-get update && in_rootfs apt-get install -y "/tmp/$(basename "$DEB")" || return 1
    fi
    in_rootfs dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version}\n' pirt-runtime 'openjdk-*' adduser | grep '^ii'
    in_rootfs dpkg-query -W -f '${Status}' pirt-runtime | grep -q 'install ok installed' || return 1
    in_rootfs id pirt || return 1
    ls -ld "$RFS/var/lib/pirt" "$RFS/etc/pirt/keys"
    in_rootfs java -version || return 1
    local jre
    jre=$(in_rootfs dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version}\n' 'openjdk-*-jre-headless' | sed -n 's/^ii *//p' | head -n 1)
    NOTE="pirt-runtime $(in_rootfs dpkg-query -W -f '${Version}' pirt-runtime) + $jre ($(in_rootfs id -Gn pirt | tr ' ' ,))"
}

s_native() {
    mkdir -p "$RFS/opt/pirt-check" && cp -r "$WORK/classes/." "$RFS/opt/pirt-check/" || return 1
    # As the service's user, with its home, and the launcher's flags: native access, and the
    # package's root-owned native libraries (/usr/lib/pirt/native) for JNA and jSerialComm.
    local out
    out=$(chroot "$RFS" /usr/bin/setpriv --reuid=pirt --regid=pirt --init-groups --reset-env -- \
        /usr/bin/env -i -C / PATH=/usr/bin HOME=/var/lib/pirt \
        java --enable-native-access=ALL-UNNAMED -DjSerialComm.library.path=/usr/lib/pirt/native/jSerialComm \
        -Djna.boot.library.path=/usr/lib/pirt/native/jna/linux-aarch64 -Djna.nounpack=true \
        -cp '/usr/share/pirt/lib/app/*:/opt/pirt-check' \
        io.pirt.tests.arm64.NativeLibraryCheck 2>&1)
    local rc=$?
    echo "$out"
    grep -q '^os.arch=aarch64' <<<"$out" || { echo "the JVM in the root filesystem is not aarch64"; return 1; }
    NOTE=$(grep -c '^ok ' <<<"$out")" of 3 loaded on aarch64 (JNA, jSerialComm, Pi4J gpiod)"
    return $rc
}

s_keys() {
    rm -rf "$WORK/keys"
    "$PIRT" keygen --out "$WORK/keys" --name laptop || return 1
    "$PIRT" keygen --out "$WORK/keys" --name stranger || return 1
    # docs/raspberry-pi.md step 4: sudo cp signing.pub /etc/pirt/keys/laptop.pub
    cp "$WORK/keys/laptop.pub" "$RFS/etc/pirt/keys/laptop.pub" || return 1
    ls -l "$RFS/etc/pirt/keys/"
    NOTE="laptop.pub trusted in /etc/pirt/keys; stranger.pub not"
}

s_start_virtual() {
    start_cable || return 1
    # The virtual board's wiring, as `pirt sim` wires it: the examples' on-board tests press BTN0 and use D22 -> D23.
    cat >"$RFS/etc/pirt/wiring" <<'WIRING'
button BTN0 BTN0 low
led LED0 LED0
jumper D22 D23
WIRING
    set_pirt_opts "--board virtual --wiring /etc/pirt/wiring --console $CABLE_BOARD $EMULATION_OPTS" || return 1
    start_runtime "$WORK/runtime-virtual.out" || return 1
    # The board is up when it answers the tool.
    local deadline=$((SECONDS + START_WAIT_S))
    until "$PIRT" info --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" >"$WORK/info-1.txt" 2>&1; do
        kill -0 "$RT_PID" 2>/dev/null || { echo "the runtime ended:"; cat "$WORK/runtime-virtual.out"; return 1; }
        [ $SECONDS -lt $deadline ] || { echo "no answer within $START_WAIT_S s"; cat "$WORK/info-1.txt"; return 1; }
    done
    cat "$WORK/info-1.txt"
    echo "--- the runtime's own output (the journal, under systemd):"
    cat "$WORK/runtime-virtual.out"
    NOTE="answered after $((SECONDS - deadline + START_WAIT_S)) s; $(grep -o 'scheduling: *[A-Z]*' "$WORK/info-1.txt" | tr -s ' ')"
}

s_info() {
    cat "$WORK/info-1.txt"
    expect "$WORK/info-1.txt" '^board: +virtual' "board virtual" || return 1
    expect "$WORK/info-1.txt" '^runtime: +pirt ' "runtime version" || return 1
    echo "runtime process (uid, limits): $(ps -o uid=,cls=,rtprio= -p "$RT_PID")"
    grep -E '^Max (realtime priority|locked memory)' "/proc/$RT_PID/limits"
    NOTE=$(sed -n 's/^scheduling: *//p' "$WORK/info-1.txt" | cut -c1-110)
}

s_fifo() {
    grep -E '^scheduling' "$WORK/info-1.txt"
    if [ "$LIMITS_APPLIED" = 0 ]; then
        # The runtime must then say NICE and why, not fail.
        expect "$WORK/info-1.txt" '^scheduling: +NICE' "without RLIMIT_RTPRIO the runtime falls back to NICE and says so" || return 1
        SKIP="host cannot grant the unit's LimitRTPRIO (no CAP_SYS_RESOURCE); runtime said NICE: $(sed -n 's/^scheduling: *NICE *//p' "$WORK/info-1.txt" | cut -c1-80)"
        return 0
    fi
    # Non-root (User=pirt, no capability) yet SCHED_FIFO: from LimitRTPRIO alone.
    expect "$WORK/info-1.txt" '^scheduling: +FIFO' "scheduling FIFO under the unit's LimitRTPRIO as user pirt" || return 1
    NOTE="runtime: FIFO as uid $(ps -o uid= -p "$RT_PID" | tr -d ' ') with RLIMIT_RTPRIO $(awk '/^Max realtime priority/ { print $4 }' "/proc/$RT_PID/limits")"
}

bundle() { # bundle NAME VERSION KEY BOARDS OUT [--project DIR --main CLASS | --jar JAR --main CLASS]
    local name=$1 version=$2 key=$3 boards=$4 out=$5
    shift 5
    "$PIRT" bundle "$@" --name "$name" --version "$version" --boards "$boards" \
        --key "$WORK/keys/$key.key" --public-key "$WORK/keys/$key.pub" --out "$out"
}

flash() { # flash BUNDLE: runs pirt flash, sets FLASH_RC, output in FLASH_OUT
    FLASH_OUT="$WORK/flash-$(basename "$1").txt"
    "$PIRT" flash --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" --progress lines --verdict-timeout-ms 600000 "$1" >"$FLASH_OUT" 2>&1
    FLASH_RC=$?
    cat "$FLASH_OUT"
    echo "exit code $FLASH_RC"
}

s_flash_v1() {
    bundle demo 1.0.0 laptop virtual,rpi-4b "$WORK/demo-1.0.0.pirt" \
        --project "$REPO/examples/demo" --main io.pirt.examples.demo.Demo || return 1
    flash "$WORK/demo-1.0.0.pirt"
    [ $FLASH_RC = 0 ] && expect "$FLASH_OUT" '^committed demo 1\.0\.0' "committed demo 1.0.0" || return 1
    NOTE="committed demo 1.0.0 ($(du -k "$WORK/demo-1.0.0.pirt" | cut -f1) KB)"
}

s_console() {
    console_open "$WORK/console-1.log" || return 1
    # The demo prints a line a second from each thread once its JVM is going: under emulation
    # on a loaded machine that can be minutes after "committed".
    wait_for_line "$CONSOLE_LOG" 'printer-high: high #' 480 "$CONSOLE_PID"
    wait_for_line "$CONSOLE_LOG" 'printer-low: low #' 60 "$CONSOLE_PID"
    wait_for_line "$CONSOLE_LOG" 'printer-normal: normal #' 60 "$CONSOLE_PID"
    console_type "info"
    wait_for_line "$CONSOLE_LOG" 'application:.*demo' 30 "$CONSOLE_PID"
    console_close
    cat "$CONSOLE_LOG"
    "$PIRT" logs --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" -n 400 >"$WORK/logs-1.txt" 2>&1 || { cat "$WORK/logs-1.txt"; return 1; }
    local ok=0
    expect "$CONSOLE_LOG" 'printer-high: high #[0-9]+' "the demo's high-priority thread prints (streamed live)" || ok=1
    expect "$CONSOLE_LOG" 'printer-normal: normal #[0-9]+' "the normal-priority thread prints" || ok=1
    expect "$CONSOLE_LOG" 'printer-low: low #[0-9]+' "the low-priority thread prints" || ok=1
    expect "$CONSOLE_LOG" 'application:.*demo' "the shell answered 'info' typed on the console" || ok=1
    expect "$WORK/logs-1.txt" 'demo 1\.0\.0 starting on' "the demo said which version started (console log)" || ok=1
    if [ "$LIMITS_APPLIED" = 1 ]; then
        expect "$WORK/logs-1.txt" 'scheduling FIFO' "the application's JVM runs SCHED_FIFO" || ok=1
    fi
    grep -E 'scheduling (FIFO|NICE|NONE)' "$WORK/logs-1.txt" | head -n 2
    NOTE="$(grep -cE 'printer-(high|normal|low)' "$CONSOLE_LOG") demo lines streamed; app: $(grep -oE 'scheduling (FIFO|NICE|NONE)' "$WORK/logs-1.txt" | head -n 1)"
    return $ok
}

s_pirt_test() {
    # The on-board tests of examples/hello-world (docs/testing.md), run by the JUnit Platform
    # inside the board's application JVM on aarch64; the tests that fail and hang on purpose
    # are left out here (tests/ checks those on the host's virtual board).
    local d="$REPO/examples/hello-world" reports="$WORK/pirt-reports/hello-world" ok=0 f
    (cd "$REPO" && mvn -q -B -o -pl examples/hello-world -am test-compile -Dpirt.skip) \
        || (cd "$REPO" && mvn -q -B -pl examples/hello-world -am test-compile -Dpirt.skip) || return 1
    rm -rf "$reports"
    "$PIRT" test --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" --timeout 900s --reports "$reports" \
        --key "$WORK/keys/laptop.key" --public-key "$WORK/keys/laptop.pub" \
        --exclude-tag fails-on-purpose --exclude-tag hangs-on-purpose \
        --classpath "$d/target/classes" "$d/target/test-classes" | tee "$WORK/pirt-test.txt"
    [ "${PIPESTATUS[0]}" = 0 ] || ok=1
    if ! ls "$reports"/TEST-*.xml >/dev/null 2>&1; then
        echo "no Surefire reports (TEST-*.xml) in $reports"
        return 1
    fi
    for f in "$reports"/TEST-*.xml; do
        sed -n 's/.*<testsuite[^>]* name="\([^"]*\)"[^>]* tests="\([0-9]*\)"[^>]* failures="\([0-9]*\)"[^>]* errors="\([0-9]*\)"[^>]* skipped="\([0-9]*\)".*/\1 tests=\2 failures=\3 errors=\4 skipped=\5/p' "$f"
        grep -Eq '<testsuite[^>]* (errors|failures)="[1-9]' "$f" && ok=1
    done
    expect "$WORK/pirt-test.txt" 'Tests run: 4, Failures: 0, Errors: 0, Skipped: 0' "4 on-board tests passed, none skipped" || ok=1
    expect "$WORK/pirt-test.txt" 'the board runs demo 1\.0\.0 again' "the demo came back after the tests" || ok=1
    NOTE="$(grep -m1 '^Tests run' "$WORK/pirt-test.txt"); reports in $reports"
    return $ok
}

s_flash_v2() {
    bundle demo 1.1.0 laptop virtual,rpi-4b "$WORK/demo-1.1.0.pirt" \
        --project "$REPO/examples/demo" --main io.pirt.examples.demo.Demo || return 1
    flash "$WORK/demo-1.1.0.pirt"
    [ $FLASH_RC = 0 ] && expect "$FLASH_OUT" '^committed demo 1\.1\.0' "committed demo 1.1.0" || return 1
    "$PIRT" info --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" | tee "$WORK/info-2.txt"
    expect "$WORK/info-2.txt" '^bundle: .*1\.1\.0' "the board runs 1.1.0" || return 1
    wait_for_logs "$WORK/logs-2.txt" 'demo 1\.1\.0 starting on' 480
    expect "$WORK/logs-2.txt" 'demo 1\.1\.0 starting on' "the console shows 1.1.0 starting" || return 1
    NOTE="committed demo 1.1.0; $(sed -n 's/^bundle: *//p' "$WORK/info-2.txt" | cut -c1-60)"
}

s_flash_bad() {
    bundle demo 1.2.0 stranger virtual,rpi-4b "$WORK/demo-1.2.0-stranger.pirt" \
        --project "$REPO/examples/demo" --main io.pirt.examples.demo.Demo || return 1
    flash "$WORK/demo-1.2.0-stranger.pirt"
    [ $FLASH_RC = 3 ] || { echo "expected exit code 3 (refused), got $FLASH_RC"; return 1; }
    "$PIRT" info --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" | tee "$WORK/info-3.txt"
    expect "$WORK/info-3.txt" '^bundle: .*1\.1\.0' "the board still runs 1.1.0" || return 1
    NOTE="exit 3: $(grep -m1 -o 'refused: .*' "$FLASH_OUT" | head -n 1 | cut -c1-70)"
}

s_stop() {
    stop_runtime || return 1
    stop_cable
    tail -n 5 "$WORK/runtime-virtual.out"
    NOTE="SIGTERM: exit $LAST_RT_STATUS (SuccessExitStatus), no process left"
}

s_rpi_start() {
    # A Raspberry Pi 4's device tree, as far as the runtime can see it: the model file under
    # /sys/firmware/devicetree (a tmpfs over the bind-mounted /sys/firmware, in this script's
    # mount namespace only). No /dev/gpiochip*: the kernel here has none.
    do_mount "$RFS/sys/firmware" -t tmpfs tmpfs || return 1
    mkdir -p "$RFS/sys/firmware/devicetree/base"
    printf 'Raspberry Pi 4 Model B Rev 1.5\0' >"$RFS/sys/firmware/devicetree/base/model"
    ls /dev/gpiochip* 2>&1
    # A fresh board: the virtual board's bundles are not this board's.
    safe_remove "$RFS/var/lib/pirt/store" || return 1
    start_cable || return 1
    set_pirt_opts "--console $CABLE_BOARD $EMULATION_OPTS" || return 1 # no --board: detected from the device tree
    start_runtime "$WORK/runtime-rpi4.out" || return 1
    local deadline=$((SECONDS + START_WAIT_S))
    until "$PIRT" info --port "$CABLE_HOST" "${PIRT_TIMEOUT[@]}" >"$WORK/info-rpi4.txt" 2>&1; do
        kill -0 "$RT_PID" 2>/dev/null || { echo "the runtime ended:"; cat "$WORK/runtime-rpi4.out"; return 1; }
        [ $SECONDS -lt $deadline ] || { echo "no answer within $START_WAIT_S s"; cat "$WORK/info-rpi4.txt"; return 1; }
    done
    cat "$WORK/info-rpi4.txt"
    echo "--- the runtime's own output:"
    cat "$WORK/runtime-rpi4.out"
    local ok=0
    expect "$WORK/runtime-rpi4.out" 'board rpi-4b: model "Raspberry Pi 4 Model B Rev 1.5"' "detected rpi-4b from the model" || ok=1
    expect "$WORK/runtime-rpi4.out" "GPIO unavailable on board rpi-4b: GPIO chip 'pinctrl-bcm2711' not found" \
        "the runtime says the profile's chip (by label) is missing" || ok=1
    expect "$WORK/info-rpi4.txt" '^board: +rpi-4b' "the console answers: board rpi-4b" || ok=1
    NOTE=$(grep -o "GPIO chip 'pinctrl-bcm2711' not found: there is no GPIO chip device" "$WORK/runtime-rpi4.out" | head -n 1)
    return $ok
}

s_rpi_shell_gpio() {
    console_open "$WORK/console-rpi4.log" || return 1
    console_type "gpio read D17"
    wait_for_line "$CONSOLE_LOG" "GPIO chip 'pinctrl-bcm2711' not found" 120 "$CONSOLE_PID"
    console_type "info"
    wait_for_line "$CONSOLE_LOG" 'uptime:' 30 "$CONSOLE_PID"
    console_close
    cat "$CONSOLE_LOG"
    expect "$CONSOLE_LOG" "error: GPIO chip 'pinctrl-bcm2711' not found" "the shell's gpio read fails with the message" || return 1
    expect "$CONSOLE_LOG" 'uptime:' "the shell still answers after it" || return 1
    NOTE="gpio read D17: error: GPIO chip 'pinctrl-bcm2711' not found ..."
}

s_rpi_app() {
    "$PIRT" bundle --jar "$WORK/gpio-probe.jar" --main io.pirt.tests.arm64.GpioProbe --name gpio-probe --version 1.0.0 \
        --boards rpi-4b --key "$WORK/keys/laptop.key" --public-key "$WORK/keys/laptop.pub" --out "$WORK/gpio-probe-1.0.0.pirt" || return 1
    flash "$WORK/gpio-probe-1.0.0.pirt"
    [ $FLASH_RC = 0 ] && expect "$FLASH_OUT" '^committed gpio-probe 1\.0\.0' "the store installs and commits it" || return 1
    wait_for_logs "$WORK/logs-rpi4.txt" 'gpio-probe: alive #' 480
    cat "$WORK/logs-rpi4.txt"
    local ok=0
    expect "$WORK/logs-rpi4.txt" "gpio-probe: GPIO call 1 failed in [0-9]+ ms: GPIO chip 'pinctrl-bcm2711' not found" \
        "the application's GPIO call fails with the message" || ok=1
    expect "$WORK/logs-rpi4.txt" "gpio-probe: GPIO call 2 failed in [0-9]+ ms: GPIO chip 'pinctrl-bcm2711' not found" \
        "and again on a second call" || ok=1
    expect "$WORK/logs-rpi4.txt" 'gpio-probe: alive #' "the application goes on" || ok=1
    NOTE="committed; app: $(grep -o 'GPIO call 1 failed in [0-9]* ms' "$WORK/logs-rpi4.txt" | head -n 1)"
    return $ok
}

s_rpi_stop() {
    stop_runtime || return 1
    stop_cable
    NOTE="SIGTERM: exit $LAST_RT_STATUS, no process left"
}

s_unmount() {
    stop_runtime
    stop_cable
    unmount_all || { echo "still mounted: $(mounts_under "$RFS")"; return 1; }
    echo "mounted under $RFS: none"
    if [ $KEEP = 0 ]; then
        safe_remove "$RFS" || return 1
        NOTE="unmounted; findmnt: nothing under the root filesystem; removed"
    else
        NOTE="unmounted; findmnt: nothing under the root filesystem; kept in $RFS"
    fi
}

cleanup() {
    local rc=$?
    [ -n "$RT_PID" ] && kill -KILL "$RT_PID" 2>/dev/null
    [ -n "$CABLE_PID" ] && kill -TERM "$CABLE_PID" 2>/dev/null
    [ ${#MOUNTS[@]} -gt 0 ] && unmount_all
    return $rc
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

# --- main --------------------------------------------------------------------------------

RUN_T0=$(date +%s.%N)
mkdir -p "$CACHE" || exit 1
# The last run's work directory goes (its root filesystem only when nothing is mounted in it).
safe_remove "$WORK" || exit 1
mkdir -p "$LOGS"

step "host: qemu-aarch64 binfmt, tools" s_host critical
step "arm64 trixie root filesystem" s_rootfs critical
step "build .deb, pirt tool, demo" s_build critical
step "apt install ./pirt-runtime.deb" s_install critical
step "native libraries load on aarch64" s_native
step "trust a signing key (/etc/pirt/keys)" s_keys critical
step "start runtime as the unit does (virtual)" s_start_virtual critical
step "info: board, version, scheduling" s_info
step "non-root SCHED_FIFO from LimitRTPRIO" s_fifo
step "flash demo 1.0.0" s_flash_v1 critical
step "console output" s_console
step "pirt test: examples' tests, Surefire" s_pirt_test
step "roll out demo 1.1.0 (committed)" s_flash_v2
step "untrusted bundle refused (exit 3)" s_flash_bad
ABORTED="" # always stop what was started; the missing-chip run stands on its own
step "stop runtime (SIGTERM)" s_stop
[ -f "$RFS/lib/systemd/system/pirt-runtime.service" ] || ABORTED="apt install ./pirt-runtime.deb"
step "rpi-4b, no GPIO chip: start, says so" s_rpi_start critical
step "rpi-4b: shell gpio fails, shell goes on" s_rpi_shell_gpio
step "rpi-4b: store + app's GPIO call fails" s_rpi_app
step "rpi-4b: stop" s_rpi_stop
ABORTED=""
step "stop everything, unmount" s_unmount

summary "tests/arm64/run.sh summary ($(date -u '+%Y-%m-%d %H:%M UTC'), cache $CACHE, logs $LOGS)" 110 | tee "$WORK/summary.txt"
[ $FAILED = 0 ]
