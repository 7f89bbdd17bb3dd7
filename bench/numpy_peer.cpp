#include "numpy_peer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace bench {

NumpyPeer::~NumpyPeer() { stop(); }

bool NumpyPeer::start(const std::string& script, const std::vector<std::string>& pythons,
                      const std::vector<std::uint8_t>& pixels) {
    if (script.empty()) {
        whyNot_ = "bench/numpy_cd1.py not found (give --numpy-script PATH)";
        return false;
    }
    // A peer that dies must not take the benchmark with it on the next write.
    signal(SIGPIPE, SIG_IGN);
    char dataPath[] = "/tmp/rbm-bench-digits-XXXXXX";
    const int fd = mkstemp(dataPath);
    if (fd < 0) {
        whyNot_ = "cannot write the digits for the peer to /tmp";
        return false;
    }
    const bool written = write(fd, pixels.data(), pixels.size()) == static_cast<ssize_t>(pixels.size());
    close(fd);
    std::string reasons;
    for (const std::string& python : pythons) {
        if (written && launch(python, script, dataPath)) break;
        reasons += (reasons.empty() ? "" : "; ") + python + ": " + whyNot_;
    }
    unlink(dataPath);  // the peer has read it once it is ready
    if (running()) whyNot_.clear();
    else whyNot_ = written ? reasons : "cannot write the digits for the peer to /tmp";
    return running();
}

bool NumpyPeer::launch(const std::string& python, const std::string& script, const std::string& dataPath) {
    int in[2], out[2];
    if (pipe(in) != 0) return false;
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return false;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);  // an import error becomes the reason we print
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execlp(python.c_str(), python.c_str(), script.c_str(), "--serve", "--data", dataPath.c_str(),
               static_cast<char*>(nullptr));
        std::printf("cannot run %s: %s\n", python.c_str(), std::strerror(errno));
        std::fflush(stdout);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        whyNot_ = "fork failed";
        return false;
    }
    pid_ = pid;
    toPeer_ = fdopen(in[1], "w");
    fromPeer_ = fdopen(out[0], "r");
    std::string line, last = "exited before it was ready";
    while (readLine(line)) {
        if (line.rfind("ready ", 0) == 0) {
            description_ = line.substr(6) + " (" + python + ")";
            return true;
        }
        if (!line.empty()) last = line;
    }
    stop();
    whyNot_ = last;
    return false;
}

bool NumpyPeer::readLine(std::string& line) {
    line.clear();
    if (!fromPeer_) return false;
    char buf[512];
    while (std::fgets(buf, sizeof buf, fromPeer_)) {
        line += buf;
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
            return true;
        }
    }
    return !line.empty();
}

bool NumpyPeer::optimisedBlas() const {
    return description_.find("OpenBLAS") != std::string::npos || description_.find("BLIS") != std::string::npos ||
           description_.find("MKL") != std::string::npos;
}

Rate NumpyPeer::run(double budget) {
    if (!running()) return {};
    std::fprintf(toPeer_, "run %.3f\n", budget);
    std::fflush(toPeer_);
    std::string line;
    while (readLine(line)) {
        Rate r;
        if (std::sscanf(line.c_str(), "rate %lf %lf", &r.wall, &r.cpu) == 2) return r;
        say("  numpy peer: %s\n", line.c_str());  // a warning of Python's, passed on
    }
    stop();
    whyNot_ = "the peer stopped answering";
    return {};
}

void NumpyPeer::stop() {
    if (toPeer_) {
        std::fputs("quit\n", toPeer_);
        std::fclose(toPeer_);
        toPeer_ = nullptr;
    }
    if (fromPeer_) {
        std::fclose(fromPeer_);
        fromPeer_ = nullptr;
    }
    if (pid_ > 0) {
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
    }
}

std::string findNumpyScript(const std::string& executable) {
    std::string dir = executable.substr(0, executable.find_last_of('/') + 1);
    for (int up = 0; up < 5 && !dir.empty(); ++up) {
        for (const char* rel : {"numpy_cd1.py", "bench/numpy_cd1.py"}) {
            const std::string candidate = dir + rel;
            if (access(candidate.c_str(), R_OK) == 0) return candidate;
        }
        dir += "../";
    }
    return {};
}

}  // namespace bench
