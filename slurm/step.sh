#!/usr/bin/env bash
# The part every Ensemble batch script shares: `step.sh JOB.toml [ensemble run flags…]` inside an
# allocation. It validates the job for the allocation's number of tasks before any rank starts (bad
# input ends the job with exit 2 and touches nothing), continues an interrupted run (--resume) when
# one waits at the output, launches the ranks with srun, and requeues the job when they stop on
# Slurm's warning signal with a checkpoint (exit 75), so the next start continues where this one
# stopped. --force applies to the first start only: a requeued job resumes, it never starts over.
set -euo pipefail

job=${1:?usage: step.sh JOB.toml [ensemble run flags…]}
shift
source "${ENSEMBLE_HOME:-${SLURM_SUBMIT_DIR:-$PWD}}/slurm/env.sh"

ranks=${SLURM_NTASKS:-1}
restart=${SLURM_RESTART_COUNT:-0}
force=0 resume=0 args=()
for a in "$@"; do
    case $a in
        --force) force=1 ;;
        --resume) resume=1 ;;
        *) args+=("$a") ;;
    esac
done
# The output path as ensemble resolves it (machine-readable; --force only so that an existing
# result is no error at this point).
output=$("$ensemble" validate "$job" "${args[@]}" --force --ranks "$ranks" --print-output) || exit 2
mode=()
if [ -e "$output.partial" ] || [ -e "$output.checkpoint" ]; then
    if [ $force = 1 ] && [ "$restart" = 0 ]; then
        mode=(--force)
    else
        echo "step.sh: $output holds an interrupted run: resuming it"
        mode=(--resume)
    fi
elif [ -e "$output" ] && [ "$restart" -gt 0 ]; then
    echo "step.sh: $output is complete; this requeued start ($restart) has nothing to do"
    exit 0
elif [ $force = 1 ] && [ "$restart" = 0 ]; then
    mode=(--force)
elif [ $resume = 1 ]; then
    mode=(--resume)
fi
# The same check every rank will make, once, before srun starts them.
"$ensemble" validate "$job" "${args[@]}" "${mode[@]}" --ranks "$ranks" >/dev/null || exit 2

# srun --mpi=pmix: Debian's Open MPI 4.1 and Slurm 22.05 share PMIx v4, and srun delivers
# Slurm's signals to every rank directly; pmi2 aborts in MPI_Init with this Open MPI.
set +e
srun --mpi=pmix "$ensemble" run "$job" "${args[@]}" "${mode[@]}"
code=$?
set -e
if [ $code = 75 ] && [ -n "${SLURM_JOB_ID:-}" ]; then
    echo "step.sh: stopped with a checkpoint at $output.checkpoint; requeueing job $SLURM_JOB_ID"
    scontrol requeue "$SLURM_JOB_ID"
fi
exit $code
