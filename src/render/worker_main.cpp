// SPDX-License-Identifier: GPL-3.0-or-later
// warta-worker: the process the render pool spawns for each job (render/
// workers.h). It reads its job as data on stdin (render/worker_jobs.h), runs
// it with the library's code, and reports a failure on descriptor 3. Not for
// people to run.
#include "render/worker_jobs.h"
#include "render/workers.h"

int main() { return warta::app::workerMain(warta::app::runJobRequest); }
