// SPDX-License-Identifier: GPL-3.0-or-later
// warta::Error: the one exception type of libwarta. Every failure is thrown
// as an Error with a kind; what a front end does with it (warta's CLI maps
// kinds to exit codes in main) is the front end's business. Part of the
// public header warta/warta.h.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace warta {

enum class ErrorKind {
  Usage,        // the caller asked for something impossible (wrong options, an output onto an input)
  Config,       // a rundown, voice profile, lexicon or language file is wrong: file:line:col in what()
  Input,        // an article, audio file or image is unreadable, malformed or too large
  Io,           // writing, renaming or reading the file system failed
  Engine,       // the speech engine, an encoder or a worker process failed
  Interrupted,  // SIGINT, SIGTERM or SIGHUP arrived; signal() says which
};

// The kind's name: "usage", "config", "input", "io", "engine", "interrupted".
inline const char* kindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage:
      return "usage";
    case ErrorKind::Config:
      return "config";
    case ErrorKind::Input:
      return "input";
    case ErrorKind::Io:
      return "io";
    case ErrorKind::Engine:
      return "engine";
    case ErrorKind::Interrupted:
      return "interrupted";
  }
  return "error";
}

class Error : public std::runtime_error {
 public:
  // `message` is complete ("FILE:LINE:COL: what is wrong and what to do").
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }
  // For Interrupted: the signal number; 0 otherwise.
  int signal() const { return signal_; }

 protected:
  Error(ErrorKind kind, const std::string& message, int signal)
      : std::runtime_error(message), kind_(kind), signal_(signal) {}

 private:
  ErrorKind kind_;
  int signal_ = 0;
};

}  // namespace warta
