# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 the trustmgr authors
# Issue 12: kills, full disks and read errors at every system call that
# writes or reads the store, not only at step boundaries. strace(1) makes
# the N-th call of one kind fail (ENOSPC, EIO) or kills the process on it
# (SIGKILL before the call runs), for every N until the command runs
# through, during `rollback`, `resume` and `discard --force` of a reset
# killed after its second step, during a reset, and during `list`, `show`
# and `verify`:
#   - a killed rollback or resume: the next rollback puts the store back
#     byte for byte, the next resume finishes and verify passes;
#   - a killed discard --force: the journal and every before-image are
#     still together, in journal/ or in one journal.discarded.* folder,
#     also after the next command (which removes before-images no journal
#     names); the domains are untouched (a discard killed between moving
#     the journal and moving its images lost the images);
#   - a command that failed (ENOSPC, EIO) leaves no temporary file and
#     keeps the journal, and the next rollback still works;
#   - a read error is an error naming it (exit 4), never a shorter answer
#     with exit status 0 (a read error in the second pass over domain.ldif
#     read as the end of the file; `show` printed "not verified" for a
#     health file it could not read; `verify` left out a direction it
#     could not check and exited 0).
. "$TM_LIB"

if [ "${TM_VALGRIND:-}" = 1 ]; then
	# strace drives the plain binary; the hundreds of recovery runs after
	# each fault are what ASan's run of this case already checks for memory
	# errors, and under memcheck they would take most of CI's time.
	echo "skipped under valgrind: the ASan run of this case covers its recovery runs"
	exit 0
fi
if ! command -v strace >/dev/null 2>&1 ||
	! strace -f -qq -o /dev/null -e inject=getpid:error=EPERM true 2>/dev/null; then
	echo "skipped: strace with fault injection is not available here"
	exit 0
fi

abc_store

dsum() {
	(cd "$STORE" && find domains -type f | LC_ALL=C sort | while read -r f; do sha256sum "$f"; done)
}
# name and content of every journal file, wherever it is
jsum() {
	(cd "$STORE" && find journal journal.discarded.* -type f 2>/dev/null |
		while read -r f; do printf '%s %s\n' "$(basename "$f")" "$(sha256sum <"$f" | cut -c1-64)"; done |
		LC_ALL=C sort)
}
tmp_left() {
	find "$STORE" -name '*.tmp.*' | grep -q .
}
s0=$(dsum)
TM_TEST_KILL_AFTER_STEP=2 trustmgr reset A B >/dev/null 2>&1 </dev/null
mid=$(dsum)
[ "$mid" != "$s0" ] || fail "the killed reset changed nothing"
j0=$(jsum)
rm -rf tpl
cp -a "$STORE" tpl
restore() {
	rm -rf "$STORE"
	cp -a tpl "$STORE"
}

# run CMD... under strace with INJECT; RC, OUT, ERR as tm sets them. Only
# the injected system call is traced (logging every call made each run
# several times slower), and for an injected error the other calls do not
# even stop the process (--seccomp-bpf; strace 6.1 then delivers no
# injected signal, so kills keep the ordinary stops).
st() {
	inject=$1
	shift
	LAST="$* (strace -e inject=$inject)"
	case $inject in *signal=*) bpf= ;; *) bpf=--seccomp-bpf ;; esac
	# LeakSanitizer cannot run under ptrace: off for these runs of an ASan build
	# shellcheck disable=SC2086 # bpf: one option or none
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq $bpf -o st.log -e "trace=${inject%%:*}" -e "inject=$inject" \
		"$TM_BIN" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}
fired() {
	grep -q -e INJECTED -e 'killed by SIGKILL' st.log
}

# After a kill or a failure during `rollback`: the next rollback restores.
after_rollback() {
	tm rollback
	expect_rc 0
	[ "$(dsum)" = "$s0" ] || fail "after $1 the store is not as it was before the reset"
}
# After one during `resume`: the next resume finishes (or there is nothing
# left to finish) and the trust verifies.
after_resume() {
	tm resume
	[ "$RC" = 0 ] || fail "after $1 resume failed"
	tm verify A B
	expect_rc 0
}
# After one during `discard --force`: nothing of the journal is lost, now
# and after the next command, and the domains are as the reset left them.
after_discard() {
	[ "$(jsum)" = "$j0" ] || fail "after $1 part of the journal is gone"
	tm list A
	[ "$(jsum)" = "$j0" ] || fail "after $1 and a list, part of the journal is gone"
	[ "$(dsum)" = "$mid" ] || fail "after $1 the domains changed"
	tm discard --force
	expect_rc 0
	[ "$(jsum)" = "$j0" ] || fail "after $1 and a second discard, part of the journal is gone"
}

# Every call of each kind; a resume makes about a hundred writes and
# fsyncs, of which every fifth is taken (the suite runs on 2 cores).
trials=0
for cmd in rollback resume discard; do
	args=$cmd
	calls="rename fsync unlink write ftruncate"
	[ $cmd = discard ] && args="discard --force" && calls="$calls mkdir"
	for call in $calls; do
		stride=1
		[ $cmd = resume ] && { [ $call = write ] || [ $call = fsync ]; } && stride=5
		n=1
		while [ $n -lt 400 ]; do
			restore
			# shellcheck disable=SC2086
			st "$call:signal=KILL:when=$n" $args
			[ "$RC" = 137 ] || break
			trials=$((trials + 1))
			after_$cmd "a kill at $call number $n of '$args'"
			tmp_left && fail "a temporary file is left after a kill at $call $n of '$args'"
			n=$((n + stride))
		done
		[ "$RC" = 0 ] || fail "'$args' failed without a kill"
		n=1
		while [ $n -lt 400 ]; do
			restore
			# shellcheck disable=SC2086
			st "$call:error=ENOSPC:when=$n" $args
			fired || break
			trials=$((trials + 1))
			tmp_left && fail "'$args' left a temporary file when $call $n failed"
			if [ "$RC" != 0 ]; then
				expect_rc 4
				err_has "No space left on device"
				# the journal is kept, or the work was done and the message
				# says so before what failed after it (the audit record of
				# its end; standard output, a file of this test)
				if [ ! -e "$STORE/journal/current" ]; then
					grep -qiE 'set aside|rolled back|resumed|writing the output failed' "$ERR" ||
						fail "'$args' failed, the journal is gone and the message does not say what was done"
					err_lacks "othing was changed"
				fi
			fi
			after_$cmd "no space at $call number $n of '$args'"
			n=$((n + stride))
		done
	done
done

# A reset itself killed or out of space at a call: then rollback restores
# the store (or there is no plan and the store is untouched, or the reset
# is whole and verifies), no temporary file is left, and a reset that failed
# left no plan behind that names before-images it removed (a journal
# renamed into place before a failed folder flush stayed, and every later
# rollback found its images missing).
restore
tm rollback
expect_rc 0
rm -rf clean
cp -a "$STORE" clean
after_reset() {
	tm rollback
	expect_rc 0
	if grep -q "Nothing to roll back" "$OUT" && [ "$(dsum)" != "$s0" ]; then
		tm verify A B
		expect_rc 0
	else
		[ "$(dsum)" = "$s0" ] || fail "after $1 the store is not as it was"
	fi
	tmp_left && fail "a temporary file is left after $1"
}
for call in rename fsync write unlink; do
	for how in signal=KILL error=ENOSPC; do
		# every call while the plan is recorded (the first 30), then every
		# fourth of the hundred or so writes and fsyncs of the steps
		n=1
		while [ $n -lt 400 ]; do
			rm -rf "$STORE"
			cp -a clean "$STORE"
			st "$call:$how:when=$n" reset A B
			fired || break
			trials=$((trials + 1))
			after_reset "$how at $call $n of the reset"
			if [ $n -ge 30 ]; then n=$((n + 4)); else n=$((n + 1)); fi
		done
	done
done

# A read error anywhere: the answer is whole, or an error that says so.
# The clock is pinned (TM_TEST_NOW) so that the ages `show` prints ("4
# minutes old") are the same in every run of the loop: on a loaded machine
# the loop outlasts a minute, and the age changed between the whole answer
# and a later one.
rm -rf "$STORE"
cp -a clean "$STORE"
TM_TEST_NOW=$(date +%s)
export TM_TEST_NOW
for args in "list A" "list A --json" "show A B" "verify A B" "verify A B --json" "domain list" "health A"; do
	# shellcheck disable=SC2086
	trustmgr $args >whole.txt 2>/dev/null
	stride=1
	case $args in verify* | health*) stride=3 ;; esac
	n=1
	while [ $n -lt 400 ]; do
		# shellcheck disable=SC2086
		st "read:error=EIO:when=$n" $args
		fired || break
		trials=$((trials + 1))
		# the read was the dynamic loader's, or (ASan build) the sanitizer
		# runtime's own reading of its options: not trustmgr's
		if grep -q -e 'error while loading shared libraries' \
			-e 'LeakSanitizer does not work under ptrace' "$ERR"; then
			n=$((n + 1))
			continue
		fi
		if [ "$RC" = 0 ]; then
			cmp -s "$OUT" whole.txt || fail "a read error (read $n) gave another answer with exit status 0"
		else
			expect_rc 4
			err_has "Input/output error"
		fi
		n=$((n + stride))
	done
done
tmp_left && fail "a temporary file is left"
echo "trials: $trials"
