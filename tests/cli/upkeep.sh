# Sourced by the partition tests (after tap.sh): a cobrod with nothing to
# send, started for its upkeep of the history's partitions.
#   upkeep_start DATABASE LOGIN [WRAPPER...]  starts it, under WRAPPER (the
#                                             clock of test_partitions_2029.sh:
#                                             a program that execs the rest, as
#                                             env does, never a shell function,
#                                             or $! is not cobrod's pid);
#                                             its log is $scratch/cobrod.log
#   upkeep_wait TEXT                          waits up to 10 s for TEXT in the log
#   upkeep_stop                               SIGTERM, and waits for it
daemon_pid=

upkeep_start() {
	local database=$1 login=$2
	shift 2
	printf 'name = "upkeep";\nlog = { level = "info"; };\n' >"$scratch/cobrod.conf"
	chmod 600 "$scratch/cobrod.conf"
	"$@" "$bindir/cobrod" --config "$scratch/cobrod.conf" --database "$database" --user "$login" \
		>"$scratch/cobrod.log" 2>&1 &
	daemon_pid=$!
}

upkeep_wait() {
	local i
	for i in $(seq 100); do
		grep -qF "$1" "$scratch/cobrod.log" && return 0
		sleep 0.1
	done
	return 1
}

upkeep_stop() {
	[ -n "$daemon_pid" ] || return 0
	kill -TERM "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=
}
