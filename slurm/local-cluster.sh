#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for the Slurm tests and for trying the batch
# scripts before a cluster: munged, slurmctld and slurmd from Debian's packages, started by hand
# (no systemd), with their configuration, state and logs under $ENSEMBLE_SLURM_DIR.
#   slurm/local-cluster.sh start    install what is missing (as root), start, wait for an idle node
#   slurm/local-cluster.sh stop     stop the daemons
#   slurm/local-cluster.sh status   say whether the cluster answers
# Clients find the cluster through /etc/slurm/slurm.conf (linked here when the machine has none)
# or through SLURM_CONF=$ENSEMBLE_SLURM_DIR/slurm.conf.
set -euo pipefail

dir=${ENSEMBLE_SLURM_DIR:-/var/tmp/ensemble-slurm}
conf=$dir/slurm.conf
packages="slurmctld slurmd slurm-client munge"
export SLURM_CONF=$conf

die() { echo "local-cluster: $*" >&2; exit 1; }

answers() { [ -f "$conf" ] && timeout 5 sinfo -h -o %T >/dev/null 2>&1; }

install_missing() {
    local missing=""
    for p in $packages; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"; done
    [ -z "$missing" ] && return 0
    [ "$(id -u)" = 0 ] || die "missing packages:$missing; install them with: sudo apt-get install$missing"
    echo "local-cluster: installing$missing"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null
}

write_config() {
    local host cpus memory
    host=$(hostname -s)
    cpus=$(nproc)
    memory=$(( $(free -m | awk '/^Mem:/ {print $2}') * 9 / 10 ))
    mkdir -p "$dir/state" "$dir/spool" "$dir/log"
    # linuxproc and task/none: no cgroups or systemd inside a container; root runs the jobs, as
    # the tests do. JobRequeue and a long MinJobAge let the tests requeue jobs and read their
    # exit codes with scontrol after they end (there is no accounting database here).
    cat >"$conf" <<CONF
ClusterName=ensemble-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobRequeue=1
MinJobAge=3600
KillWait=10
SlurmctldTimeout=30
SlurmdTimeout=30
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
    if [ ! -e /etc/slurm/slurm.conf ] && [ -w /etc/slurm ]; then ln -s "$conf" /etc/slurm/slurm.conf; fi
}

start() {
    if answers; then echo "local-cluster: running ($conf)"; return 0; fi
    install_missing
    [ "$(id -u)" = 0 ] || die "starting the daemons needs root"
    write_config
    if ! munge -n >/dev/null 2>&1 </dev/null; then
        mkdir -p /run/munge /var/log/munge /var/lib/munge
        [ -f /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; chmod 400 /etc/munge/munge.key; }
        chown -R munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge 2>/dev/null || true
        runuser -u munge -- /usr/sbin/munged || /usr/sbin/munged --force
        sleep 1
    fi
    pkill -x slurmctld 2>/dev/null || true
    pkill -x slurmd 2>/dev/null || true
    sleep 1
    /usr/sbin/slurmctld -f "$conf" -c -i
    /usr/sbin/slurmd -f "$conf" -c
    local host; host=$(hostname -s)
    for _ in $(seq 60); do
        state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
        case $state in
            idle|mixed|allocated) echo "local-cluster: node $host $state ($conf)"; return 0 ;;
            down*|drain*) scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
        esac
        sleep 1
    done
    die "the node did not become idle within 60 s; logs in $dir/log"
}

stop() {
    pkill -x slurmd 2>/dev/null || true
    pkill -x slurmctld 2>/dev/null || true
    echo "local-cluster: stopped"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) if answers; then sinfo; else echo "local-cluster: not running"; exit 1; fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
