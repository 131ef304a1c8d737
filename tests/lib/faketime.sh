# A faked clock for what a test starts, with libfaketime (Debian's faketime),
# sourced by tests/run.sh (the runs at other dates) and the golden screens.
#
#   faketime_on SPEC   sets faketime_env, the NAME=VALUE words that put a
#                      program under the clock SPEC (FAKETIME: "+86400s", an
#                      offset from the real time that every program shares;
#                      "@2026-11-24 15:00:00", each program starting at that
#                      local time); pass them with env, or export them
#   faketime_off       ends what faketime_on began
#
# The monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC): timeouts
# and sleeps keep their length.
#
# libfaketime gives each program that starts a semaphore and shared memory of
# its own in /dev/shm, named after its pid, and removes them when it exits,
# but not when it is killed (tests kill workstations and daemons): they pile
# up, and a later program with the same pid, or one that inherited the names
# of a creator that is gone, fails to start ("libfaketime: ... sem_open
# failed"). faketime(1) avoids that by making them itself, but it waits for
# every program it started, a server started in the background too. Here one
# program that does nothing (the holder) makes them, every other program is
# handed their names (FAKETIME_SHARED) and makes none, and faketime_off
# removes them. PostgreSQL runs as the postgres user: it may use them too.
#
# Two limits of libfaketime 0.9.10 that the suites meet:
# - Python 3.11's time.sleep() fails (EINVAL) without a faked monotonic
#   clock (wolfcw/libfaketime#426): tests/lib/python3-real-clock runs the
#   Python stand-ins on the real clock.
# - A signal handler that interrupts a call libfaketime wraps (PostgreSQL's
#   epoll_wait) reads the real time: with a clock moved ahead, PostgreSQL's
#   statement_timeout and lock_timeout fire that much late. cobro sets
#   neither; the tests do not rely on them.

faketime_on() {
	local lib i
	faketime_off
	lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
	if [ -z "$lib" ]; then
		echo "faketime.sh: libfaketime is not installed (scripts/deps.sh check installs faketime)" >&2
		return 1
	fi
	env -u FAKETIME_SHARED LD_PRELOAD="$lib" FAKETIME="$1" FAKETIME_DONT_FAKE_MONOTONIC=1 \
		sleep 2147483647 </dev/null >/dev/null 2>&1 &
	faketime_holder=$!
	for i in $(seq 200); do
		[ -e "/dev/shm/sem.faketime_sem_$faketime_holder" ] && [ -e "/dev/shm/faketime_shm_$faketime_holder" ] && break
		sleep 0.01
	done
	if ! chmod 666 "/dev/shm/sem.faketime_sem_$faketime_holder" "/dev/shm/faketime_shm_$faketime_holder" 2>/dev/null; then
		echo "faketime.sh: libfaketime made no shared memory for its holder (pid $faketime_holder)" >&2
		faketime_off
		return 1
	fi
	faketime_env=(LD_PRELOAD="$lib" FAKETIME="$1" FAKETIME_DONT_FAKE_MONOTONIC=1
		FAKETIME_SHARED="/faketime_sem_$faketime_holder /faketime_shm_$faketime_holder")
}

faketime_off() {
	faketime_env=()
	[ -n "${faketime_holder:-}" ] || return 0
	kill "$faketime_holder" 2>/dev/null
	wait "$faketime_holder" 2>/dev/null
	rm -f "/dev/shm/sem.faketime_sem_$faketime_holder" "/dev/shm/faketime_shm_$faketime_holder"
	faketime_holder=
}
