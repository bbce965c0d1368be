// SPDX-License-Identifier: GPL-3.0-or-later
// The zygote side of the render pool (render/workers.h has the protocol).
// Compiled into the warta-worker program only: library code never forks.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

namespace warta::app {

// `warta-worker --zygote PARENT`'s whole life: dies with PARENT
// (PR_SET_PDEATHSIG, then checks PARENT is still its parent), then forks a
// child per job the parent sends on kWorkerReportFd; each child runs
// runWorkerJob(run, request) and exits with its status. Returns the exit
// status: 0 once the parent closed the socket and every child is reaped.
int zygoteMain(pid_t parent, const std::function<void(const std::string& request)>& run);

}  // namespace warta::app
