// A live progress line on stderr (articles/s, queue depths), redrawn in place on a terminal.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace tw {

class ProcessingLine;

class ProgressLine {
 public:
  // Starts redrawing every half second; does nothing when stderr is not a terminal.
  ProgressLine(std::string label, const ProcessingLine& line);
  // Stops and erases the line.
  ~ProgressLine();

  static bool StderrIsTerminal();

 private:
  void Loop();
  std::string label_;
  const ProcessingLine& line_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace tw
