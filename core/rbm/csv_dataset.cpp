#include "rbm/csv_dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "rbm/file_kind.h"
#include "rbm/memory_limits.h"

namespace rbm {
namespace {

std::string trimmed(std::string s) {
    const char* space = " \t\r\n";
    const std::size_t a = s.find_first_not_of(space);
    if (a == std::string::npos) return {};
    s = s.substr(a, s.find_last_not_of(space) - a + 1);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

/// A number in the C locale whatever the process's locale is (Qt sets the user's).
bool parseNumber(const std::string& cell, double& v) {
    const char* b = cell.data();
    const char* e = b + cell.size();
    if (b != e && *b == '+') ++b;
    if (b == e) return false;
    const std::from_chars_result r = std::from_chars(b, e, v);
    return r.ec == std::errc() && r.ptr == e;
}

struct Cell {
    std::size_t line = 0, column = 0;
    std::string text;
};

/// One line at a time, so that a file is never held twice in memory: the pixels are kept
/// under both readings (0-255 and [0, 1]) until the end says which one the file uses.
class CsvParser {
public:
    CsvParser(std::string name, CsvLabels labels) : name_(std::move(name)), labels_(labels) {}

    void line(std::string text, std::size_t number) {
        if (number == 1 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // UTF-8 BOM
        if (trimmed(text).empty()) return;
        if (!started_) start(text, number);
        std::vector<std::string> cells = split(text);
        if (cells.size() != width_)
            fail("line " + std::to_string(number) + " has " + std::to_string(cells.size()) + (cells.size() == 1 ? " value" : " values") + " but line " +
                 std::to_string(firstLine_) + " has " + std::to_string(width_) + "; every row needs the same number");
        if (headerPending_) {
            headerPending_ = false;
            return;
        }
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string cell = trimmed(cells[c]);
            const std::string where = "line " + std::to_string(number) + ", column " + std::to_string(c + 1);
            if (cell.empty()) fail(where + " is empty");
            double v = 0;
            if (!parseNumber(cell, v)) fail(where + ": '" + cell + "' is not a number");
            if (!std::isfinite(v)) fail(where + ": '" + cell + "' is not a finite number");
            const bool whole = v == std::floor(v);
            if (c == labelColumn_) {
                if (!whole || v < 0 || v > 255)
                    fail(where + ": the label '" + cell + "' is not a whole number from 0 to 255");
                labels_out_.push_back(std::uint8_t(v));
                continue;
            }
            const bool byteOk = whole && v >= 0 && v <= 255, unitOk = v >= 0 && v <= 1;
            if (!byteOk && !unitOk)
                fail(where + ": the value " + cell + " is out of range (pixels are whole numbers 0 to 255, or values in [0, 1])");
            if (!byteOk && notByte_.text.empty()) notByte_ = {number, c + 1, cell};
            if (!unitOk && notUnit_.text.empty()) notUnit_ = {number, c + 1, cell};
            asByte_.push_back(byteOk ? std::uint8_t(v) : 0);
            asUnit_.push_back(unitOk ? std::uint8_t(std::lround(v * 255.0)) : 0);
        }
        ++count_;
        if (asByte_.size() > kMaxDatasetBytes)
            fail("more than " + formatBytes(kMaxDatasetBytes) + " of pixels, the limit for a dataset");
    }

    Dataset finish() {
        if (count_ == 0) fail(started_ ? "it has a header row but no examples" : "the file is empty; it holds no examples");
        if (!notByte_.text.empty() && !notUnit_.text.empty())
            fail("line " + std::to_string(notByte_.line) + ", column " + std::to_string(notByte_.column) + " holds " +
                 notByte_.text + " (a value in [0, 1]) but line " + std::to_string(notUnit_.line) + ", column " +
                 std::to_string(notUnit_.column) + " holds " + notUnit_.text +
                 " (a value 0 to 255); use one scale for the whole file");
        Dataset d;
        // Only 0 and 1 fit both readings: binary, ink 255.
        d.pixels = notUnit_.text.empty() ? std::move(asUnit_) : std::move(asByte_);
        d.labels = std::move(labels_out_);
        d.count = count_;
        const int pixels = int(width_ - (labelColumn_ < width_ ? 1 : 0));
        const int side = int(std::lround(std::sqrt(double(pixels))));
        d.rows = side * side == pixels ? side : 1;
        d.cols = side * side == pixels ? side : pixels;
        d.name = std::filesystem::path(name_).filename().string();
        d.source = name_;
        return d;
    }

    [[noreturn]] void fail(const std::string& why) const { throw Error(name_ + ": " + why); }

private:
    void start(const std::string& text, std::size_t number) {
        started_ = true;
        firstLine_ = number;
        delimiter_ = text.find(',') != std::string::npos ? ',' : text.find(';') != std::string::npos ? ';'
                     : text.find('\t') != std::string::npos ? '\t' : ',';
        const std::vector<std::string> cells = split(text);
        width_ = cells.size();
        for (std::size_t c = 0; c < cells.size() && !headerPending_; ++c) {
            double v = 0;
            headerPending_ = !parseNumber(trimmed(cells[c]), v) && !trimmed(cells[c]).empty();
        }
        if (labels_ == CsvLabels::First) labelColumn_ = 0;
        if (labels_ == CsvLabels::Auto && headerPending_)
            for (std::size_t c = 0; c < cells.size(); ++c) {
                const std::string n = lower(trimmed(cells[c]));
                if (n == "label" || n == "labels" || n == "class" || n == "target" || n == "y") {
                    labelColumn_ = c;
                    break;
                }
            }
        if (width_ - (labelColumn_ < width_ ? 1 : 0) == 0) fail("it has no pixel columns, only the label");
    }

    std::vector<std::string> split(const std::string& text) const {
        std::vector<std::string> cells;
        std::size_t at = 0;
        for (;;) {
            const std::size_t next = text.find(delimiter_, at);
            cells.push_back(text.substr(at, next == std::string::npos ? std::string::npos : next - at));
            if (next == std::string::npos) break;
            at = next + 1;
        }
        return cells;
    }

    std::string name_;
    CsvLabels labels_;
    bool started_ = false, headerPending_ = false;
    char delimiter_ = ',';
    std::size_t width_ = 0, firstLine_ = 0, labelColumn_ = std::size_t(-1), count_ = 0;
    std::vector<std::uint8_t> asByte_, asUnit_, labels_out_;
    Cell notByte_, notUnit_;
};

}  // namespace

Dataset parseCsvDataset(const std::string& text, const std::string& name, CsvLabels labels) {
    CsvParser p(name, labels);
    std::size_t number = 0, at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        p.line(text.substr(at, end - at), ++number);
        at = end + 1;
    }
    return p.finish();
}

Dataset loadCsvDataset(const std::string& path, CsvLabels labels) {
    ReadableFile f(path);  // a FIFO, a device, a folder: refused before a byte is read
    if (f.size() > kMaxDatasetBytes)
        throw Error(path + ": the file is " + formatBytes(f.size()) + ", more than the limit of " +
                    formatBytes(kMaxDatasetBytes) + " for a dataset");
    CsvParser p(path, labels);
    std::string pending, chunk(std::size_t(1) << 20, '\0');
    std::size_t number = 0;
    for (;;) {
        const std::size_t got = f.read(chunk.data(), chunk.size());
        pending.append(chunk, 0, got);
        std::size_t at = 0;
        for (std::size_t end; (end = pending.find('\n', at)) != std::string::npos; at = end + 1)
            p.line(pending.substr(at, end - at), ++number);
        pending.erase(0, at);
        if (got < chunk.size()) break;
    }
    if (!pending.empty()) p.line(pending, ++number);
    return p.finish();
}

}  // namespace rbm
