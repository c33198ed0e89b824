# tests/steps.sh: the step runner and summary table of the emulator scripts (tests/arm64/run.sh,
# tests/pi3/run.sh), and the host checks both make, sourced by both. The script defines log() and LOGS (a step's log goes to
# LOGS/NN-name.log) and sets RUN_T0=$(date +%s.%N) before its first step.

STEP_NAMES=()
STEP_RESULTS=()
STEP_SECONDS=()
STEP_NOTES=()
FAILED=0
ABORTED="" # the step whose failure stops the rest
NOTE=""    # a step function sets NOTE for the table; SKIP=reason marks it skipped
SKIP=""

# step NAME FUNCTION [critical]: runs FUNCTION (output to LOGS/NN-name.log), records the result.
step() {
    local name=$1 fn=$2 critical=${3:-} n=$((${#STEP_NAMES[@]} + 1)) t0 rc result
    local logf
    logf="$LOGS/$(printf %02d "$n")-$(echo "$name" | tr -c 'A-Za-z0-9\n' '-' | tr -s '-' | sed 's/-$//').log"
    STEP_NAMES+=("$name")
    if [ -n "$ABORTED" ]; then
        STEP_RESULTS+=("NOT RUN")
        STEP_SECONDS+=("-")
        STEP_NOTES+=("after: $ABORTED")
        return 1
    fi
    log "step $n: $name"
    NOTE=""
    SKIP=""
    t0=$(date +%s.%N)
    "$fn" >"$logf" 2>&1
    rc=$?
    STEP_SECONDS+=("$(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.1f')")
    if [ -n "$SKIP" ]; then
        result="SKIPPED"
        NOTE=$SKIP
    elif [ $rc = 0 ]; then
        result="PASS"
    else
        result="FAIL"
        FAILED=1
        [ -n "$critical" ] && ABORTED=$name
        echo "---- $name FAILED; the end of $logf:" >&2
        tail -n 25 "$logf" >&2
        echo "----" >&2
    fi
    STEP_RESULTS+=("$result")
    STEP_NOTES+=("$NOTE")
    log "  $result ${STEP_SECONDS[-1]} s ${NOTE:+($NOTE)}"
    return $rc
}

# summary TITLE NOTE_WIDTH: the table of every step (result, time, note cut to NOTE_WIDTH) and
# the total since RUN_T0.
summary() {
    local title=$1 width=$2 i total
    total=$(echo "$(date +%s.%N) - $RUN_T0" | bc | xargs printf '%.0f')
    echo
    echo "$title"
    printf '%-3s %-44s %-8s %8s  %s\n' "#" "STEP" "RESULT" "TIME" "NOTE"
    for i in "${!STEP_NAMES[@]}"; do
        printf '%-3s %-44s %-8s %8s  %s\n' "$((i + 1))" "${STEP_NAMES[i]}" "${STEP_RESULTS[i]}" \
            "${STEP_SECONDS[i]}$([ "${STEP_SECONDS[i]}" = - ] || echo ' s')" "${STEP_NOTES[i]:0:$width}"
    done
    echo "total: ${total} s; $([ $FAILED = 0 ] && echo 'all steps passed' || echo 'FAILED')"
}

expect() { # expect FILE REGEX DESCRIPTION
    if grep -Eq -- "$2" "$1"; then
        echo "ok: $3"
    else
        echo "MISSING: $3 (no line matching /$2/ in $1)"
        return 1
    fi
}

# enable_binfmt_aarch64: binfmt_misc mounted and qemu-aarch64 enabled, so this host runs arm64
# programs through qemu-user (mmdebstrap's maintainer scripts, the arm64 userland).
enable_binfmt_aarch64() {
    mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || return 1
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64 || return 1
}

# find_host_jdk: sets HOST_JAVA, HOST_JAVAC and HOST_JAR to a JDK 21 or newer on this host
# ($JAVA_HOME, then each of /usr/lib/jvm/*; the last one found), or says there is none.
find_host_jdk() {
    local j
    HOST_JAVA=""
    HOST_JAVAC=""
    HOST_JAR=""
    for j in "${JAVA_HOME:-/nonexistent}" /usr/lib/jvm/*; do
        if [ -x "$j/bin/javac" ] && [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null || echo 0)" -ge 21 ]; then
            HOST_JAVA="$j/bin/java"
            HOST_JAVAC="$j/bin/javac"
            HOST_JAR="$j/bin/jar"
        fi
    done
    [ -n "$HOST_JAVAC" ] || { echo "no JDK 21 or newer on this host (JAVA_HOME, /usr/lib/jvm)"; return 1; }
}
