#!/usr/bin/env bash
# The part every Ensemble batch script shares: `step.sh JOB.toml [ensemble run flags…]` inside an
# allocation. It validates the job before any rank starts (bad input ends the job with exit 2 and
# touches nothing), adds --resume when an interrupted run's checkpoint is waiting at the output,
# launches the ranks with srun, and requeues the job when they stop on Slurm's warning signal with
# a checkpoint (exit 75), so the next start continues where this one stopped.
set -euo pipefail

job=${1:?usage: step.sh JOB.toml [ensemble run flags…]}
shift
source "${ENSEMBLE_HOME:-${SLURM_SUBMIT_DIR:-$PWD}}/slurm/env.sh"

output="" force=0 resume=0 previous=""
for a in "$@"; do
    case $a in
        --output=*) output=${a#--output=} ;;
        --force) force=1 ;;
        --resume) resume=1 ;;
    esac
    [ "$previous" = --output ] && output=$a
    previous=$a
done
if [ -z "$output" ]; then
    # The job's own output, as ensemble reads it (--force only so an existing file is no error here).
    output=$("$ensemble" validate "$job" --force | sed -n 's/^  output: *//p') || exit 2
fi
flags=()
if [ $force = 0 ] && [ $resume = 0 ] && [ -e "$output.partial" ]; then
    echo "step.sh: $output.partial holds an interrupted run: resuming it"
    flags=(--resume)
fi
# The same check every rank will make, once, before srun starts them.
"$ensemble" validate "$job" "$@" "${flags[@]}" >/dev/null || exit 2

# srun --mpi=pmix: Debian's Open MPI 4.1 and Slurm 22.05 share PMIx v4, and srun delivers
# Slurm's signals to every rank directly; pmi2 aborts in MPI_Init with this Open MPI.
set +e
srun --mpi=pmix "$ensemble" run "$job" "$@" "${flags[@]}"
code=$?
set -e
if [ $code = 75 ] && [ -n "${SLURM_JOB_ID:-}" ]; then
    echo "step.sh: stopped with a checkpoint at $output.partial; requeueing job $SLURM_JOB_ID"
    scontrol requeue "$SLURM_JOB_ID"
fi
exit $code
