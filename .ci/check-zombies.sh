#!/bin/sh
# Lists zombie processes left behind by this build and exits 1 if there are any.
#
# A zombie counts when its parent is gone (reparented to PID 1 or to a subreaper that does not reap, or
# the parent no longer exists) or when its parent is a java process of this build (its command line
# mentions this checkout, as surefire's forked JVMs' do). Other zombies on the machine, such as those of
# another checkout's build running beside this one, are not this build's business.
#
# A zombie just reparented to PID 1 is normally reaped within moments, so only zombies still there after a
# grace period (CHECK_ZOMBIES_GRACE seconds, default 3) are reported.
#
# Usage: .ci/check-zombies.sh [checkout-dir]     (default: the directory above this script)
set -u
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
grace=${CHECK_ZOMBIES_GRACE:-3}

scan() {
for stat in /proc/[0-9]*/stat; do
    line=$(cat "$stat" 2>/dev/null) || continue
    rest=${line##*) }                # fields after "pid (comm) "
    state=${rest%% *}
    [ "$state" = Z ] || continue
    pid=${stat#/proc/}; pid=${pid%/stat}
    comm=${line#*(}; comm=${comm%)*}
    set -- $rest
    ppid=$2
    why=""
    if [ "$ppid" -le 1 ] || [ ! -d "/proc/$ppid" ]; then
        why="parent gone (ppid $ppid)"
    else
        pcomm=$(cat "/proc/$ppid/comm" 2>/dev/null || echo "?")
        pcmd=$(tr '\0' ' ' < "/proc/$ppid/cmdline" 2>/dev/null || echo "")
        case "$pcomm" in
            java)
                case "$pcmd" in
                    *"$root"*) why="parent is this build's java process $ppid" ;;
                esac ;;
        esac
    fi
    if [ -n "$why" ]; then
        echo "zombie pid $pid ($comm): $why"
    fi
done
}

first=$(scan | sort)
if [ -n "$first" ]; then
    sleep "$grace"
    left=$(scan | sort | comm -12 - /dev/fd/3 3<<EOF3
$first
EOF3
)
    if [ -n "$left" ]; then
        echo "$left"
        echo "check-zombies: zombies left behind" >&2
        exit 1
    fi
fi
echo "check-zombies: none"
