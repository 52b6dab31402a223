"""The seccomp allow-list every sandboxed process runs under.

Default deny: a system call not listed fails with ENOSYS, so libc falls back
(clone3 -> clone) and programs see "not implemented". The calls that could
reach outside the sandbox or the kernel's attack surface kill the process with
SIGSYS, so the run ends with a clear `RE`. Other ABIs (i386, x32) are killed
as a bad architecture. The filter is compiled to BPF once per supervisor.
"""

from __future__ import annotations

import errno
import os
import socket

import pyseccomp

from sandbox import libc

ALLOWED = """
    read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 lseek open openat
    openat2 creat close close_range dup dup2 dup3 fcntl flock stat fstat lstat newfstatat
    statx statfs fstatfs access faccessat faccessat2 readlink readlinkat getdents getdents64
    getcwd chdir fchdir umask mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2
    link linkat symlink symlinkat mknod mknodat chmod fchmod fchmodat chown fchown lchown
    fchownat truncate ftruncate fallocate fsync fdatasync sync_file_range fadvise64 readahead
    utime utimes utimensat futimesat getxattr lgetxattr fgetxattr listxattr llistxattr
    flistxattr pipe pipe2 sendfile splice tee vmsplice copy_file_range memfd_create ioctl
    select pselect6 poll ppoll epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait
    epoll_pwait2 eventfd eventfd2 signalfd signalfd4 timerfd_create timerfd_settime
    timerfd_gettime inotify_init inotify_init1 inotify_add_watch inotify_rm_watch brk mmap
    munmap mremap mprotect madvise msync mincore mlock mlock2 munlock mlockall munlockall
    membarrier get_mempolicy set_mempolicy mbind fork vfork execve execveat exit exit_group
    wait4 waitid kill tkill tgkill pidfd_open pidfd_send_signal getpid getppid gettid getuid
    geteuid getgid getegid getresuid getresgid getgroups getpgid getpgrp getsid setpgid setsid
    setuid setgid setreuid setregid setresuid setresgid setgroups capget capset prctl
    arch_prctl set_tid_address set_robust_list get_robust_list rseq futex futex_waitv
    sched_yield sched_getaffinity sched_setaffinity sched_getparam sched_setparam
    sched_getscheduler sched_get_priority_max sched_get_priority_min sched_rr_get_interval
    getpriority setpriority getrlimit setrlimit prlimit64 getrusage times uname sysinfo getcpu
    rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigqueueinfo
    rt_tgsigqueueinfo rt_sigsuspend sigaltstack pause alarm restart_syscall nanosleep
    clock_nanosleep clock_gettime clock_getres gettimeofday time getitimer setitimer
    timer_create timer_settime timer_gettime timer_getoverrun timer_delete getrandom shmget
    shmat shmdt shmctl semget semop semtimedop semctl msgget msgsnd msgrcv msgctl mq_open
    mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr connect
    bind listen accept accept4 sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg shutdown
    getsockname getpeername setsockopt getsockopt
""".split()  # noqa: SIM905 (a word list reads best as text)

# Ways out of the sandbox or into the kernel's larger attack surface.
KILLED = """
    ptrace process_vm_readv process_vm_writev kcmp pidfd_getfd mount umount2 pivot_root chroot
    move_mount open_tree fsopen fsmount fsconfig fspick mount_setattr unshare setns bpf
    perf_event_open userfaultfd io_uring_setup io_uring_enter io_uring_register keyctl add_key
    request_key kexec_load kexec_file_load init_module finit_module delete_module reboot
    swapon swapoff acct settimeofday clock_settime clock_adjtime adjtimex sethostname
    setdomainname syslog quotactl open_by_handle_at name_to_handle_at fanotify_init iopl
    ioperm vhangup lookup_dcookie
""".split()  # noqa: SIM905 (a word list reads best as text)

# Socket address families a program may use: Unix sockets (socketpair,
# multiprocessing, asyncio) and IPv4/IPv6, which reach nothing in the empty
# network namespace but which programs and runtimes create (and then get
# ENETUNREACH). Any other family (netlink, vsock, packet, AF_ALG, Bluetooth...)
# reaches kernel code or transports the network namespace does not isolate
# (vsock): socket() fails with EAFNOSUPPORT, as on a kernel without it.
SOCKET_FAMILIES = (socket.AF_UNIX, socket.AF_INET, socket.AF_INET6)
FAMILY_MASK = 0xFFFFFFFF  # the domain is a C int: the upper half of the register is junk
AF_MAX = 64  # beyond the largest family Linux has (46 in 6.x)

NAMESPACE_FLAGS = (
    libc.CLONE_NEWNS
    | libc.CLONE_NEWCGROUP
    | libc.CLONE_NEWUTS
    | libc.CLONE_NEWIPC
    | libc.CLONE_NEWUSER
    | libc.CLONE_NEWPID
    | libc.CLONE_NEWNET
    | 0x80  # CLONE_NEWTIME
)


def build_filter() -> pyseccomp.SyscallFilter:
    """The allow-list as a libseccomp filter for the native architecture."""
    policy = pyseccomp.SyscallFilter(pyseccomp.ERRNO(errno.ENOSYS))
    policy.set_attr(pyseccomp.Attr.ACT_BADARCH, pyseccomp.KILL_PROCESS)
    policy.set_attr(pyseccomp.Attr.CTL_OPTIMIZE, 2)  # a binary tree: fewer checks per call
    refused = pyseccomp.ERRNO(errno.EAFNOSUPPORT)
    for name in ALLOWED:
        policy.add_rule(pyseccomp.ALLOW, name)
    for name in KILLED:
        policy.add_rule(pyseccomp.KILL_PROCESS, name)
    # clone, but never into new namespaces; clone3 hides its flags in memory,
    # so it reports ENOSYS and libc falls back to clone.
    no_namespace = pyseccomp.Arg(0, pyseccomp.MASKED_EQ, NAMESPACE_FLAGS, 0)
    policy.add_rule(pyseccomp.ALLOW, "clone", no_namespace)
    for family in range(AF_MAX):
        action = pyseccomp.ALLOW if family in SOCKET_FAMILIES else refused
        domain = pyseccomp.Arg(0, pyseccomp.MASKED_EQ, FAMILY_MASK, family)
        for call in ("socket", "socketpair"):
            policy.add_rule(action, call, domain)
    return policy


def compile_bpf() -> bytes:
    """The filter as a BPF program, ready for `libc.load_seccomp`."""
    with os.fdopen(os.memfd_create("seccomp-bpf"), "w+b") as sink:
        build_filter().export_bpf(sink)
        sink.seek(0)
        return sink.read()
