#include "rbm/session_file.h"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "rbm/json.h"
#include "rbm/memory_limits.h"
#include "rbm/npz.h"

namespace rbm {

namespace {

const char* const kFormat = "rbm-studio-session";

/// A reason without the file name; loadSession and saveSession make it a sentence.
struct Problem {
    std::string reason;
};
[[noreturn]] void problem(const std::string& reason) { throw Problem{reason}; }

/// "Cannot read 'x': reason." -> "reason", so that the session's own sentence names its file once.
std::string reasonOf(const std::string& message, const std::string& path) {
    for (const std::string& prefix : {"Cannot read '" + path + "': ", "Cannot load checkpoint '" + path + "': "})
        if (message.compare(0, prefix.size(), prefix) == 0) {
            std::string r = message.substr(prefix.size());
            if (!r.empty() && r.back() == '.') r.pop_back();
            return r;
        }
    return message;
}

/// A file in the temporary folder, removed when it goes out of scope: a checkpoint travels as
/// the bytes of the file saveCheckpoint writes and is read back by loadCheckpoint.
class ScratchFile {
public:
    ScratchFile() {
        static std::atomic<unsigned> counter{0};
        std::error_code ec;
        std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
        if (ec) dir = "/tmp";
        path_ = (dir / ("rbm-session-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".npz")).string();
    }
    ~ScratchFile() { std::remove(path_.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

std::vector<std::uint8_t> readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
    std::vector<std::uint8_t> bytes(size > 0 ? static_cast<std::size_t>(size) : 0);
    in.seekg(0);
    if (size < 0 || !in.read(reinterpret_cast<char*>(bytes.data()), size)) problem("cannot read back the temporary file " + path);
    return bytes;
}

NpyArray byteArray(std::string name, std::vector<std::uint8_t> bytes, std::vector<std::size_t> shape) {
    NpyArray a;
    a.name = std::move(name);
    a.dtype = "|u1";
    a.shape = std::move(shape);
    a.data = std::move(bytes);
    return a;
}

/// The array `name` of the type and shape the settings say, checked from its header before
/// it is inflated (an entry of another shape costs nothing however large it claims to be).
NpyArray needArray(NpzReader& archive, const std::string& name, const std::string& dtype, const std::vector<std::size_t>& shape) {
    const std::optional<NpyHeader> h = archive.header(name);
    if (!h) problem("its array '" + name + "' is missing");
    if (h->dtype != dtype) problem("its array '" + name + "' has type " + h->dtype + ", expected " + dtype);
    if (h->shape != shape) problem("its array '" + name + "' has shape " + shapeText(h->shape) + ", expected " + shapeText(shape));
    return *archive.read(name);
}

// --- small JSON readers: every value is checked, none trusted

const Json& member(const Json& o, const std::string& key) {
    if (!o.isObject() || !o.has(key)) problem("its settings lack '" + key + "'");
    return o[key];
}
std::string text(const Json& o, const std::string& key) {
    const Json& v = member(o, key);
    if (!v.isString()) problem("its setting '" + key + "' is not a string");
    return v.string();
}
double integer(const Json& o, const std::string& key, double lo, double hi) {
    const Json& v = member(o, key);
    if (!v.isNumber() || v.number() != std::floor(v.number()) || v.number() < lo || v.number() > hi)
        problem("its setting '" + key + "' is not a whole number from " + Json::formatNumber(lo) + " to " + Json::formatNumber(hi));
    return v.number();
}
Json seedJson(std::uint64_t seed) {
    if (seed <= (std::uint64_t(1) << 53)) return Json(seed);
    return Json(std::to_string(seed));
}
std::uint64_t seedFrom(const Json& o, const std::string& key) {
    const Json& v = member(o, key);
    if (v.isString()) {
        const std::string& s = v.string();
        if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos) problem("its '" + key + "' is not a seed");
        try {
            return std::stoull(s);
        } catch (const std::exception&) {
            problem("its '" + key + "' is not a seed");
        }
    }
    return static_cast<std::uint64_t>(integer(o, key, 0, 9007199254740992.0));
}

SessionDataset::Kind kindFromString(const std::string& s) {
    for (auto k : {SessionDataset::Kind::Embedded, SessionDataset::Kind::Path, SessionDataset::Kind::Inline})
        if (s == datasetKindName(k)) return k;
    problem("its dataset kind '" + s + "' is unknown");
}

void fnv(std::uint64_t& h, const std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
}
void fnvNumber(std::uint64_t& h, std::uint64_t v) {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
    fnv(h, b, 8);
}

// --- the parts of a session

void addDataset(const SessionDataset& d, Json& j, std::vector<NpyArray>& arrays) {
    Json o = Json::object();
    o.set("kind", datasetKindName(d.kind));
    o.set("path", d.path);
    o.set("name", d.name);
    o.set("rows", d.rows);
    o.set("cols", d.cols);
    o.set("trainCount", static_cast<std::int64_t>(d.trainCount));
    o.set("testCount", static_cast<std::int64_t>(d.testCount));
    o.set("fingerprint", d.fingerprint);
    o.set("trainLabels", d.data && d.data->train.hasLabels());
    o.set("testLabels", d.data && d.data->test.hasLabels());
    j.set("dataset", o);
    if (d.kind != SessionDataset::Kind::Inline) return;
    if (!d.data) problem("its inline dataset has no images");
    for (const Dataset* set : {&d.data->train, &d.data->test}) {
        const std::string prefix = set == &d.data->train ? "train" : "test";
        if (set->count == 0) continue;
        arrays.push_back(byteArray(prefix + "_pixels", set->pixels, {set->count, std::size_t(set->rows), std::size_t(set->cols)}));
        if (set->hasLabels()) arrays.push_back(byteArray(prefix + "_labels", set->labels, {set->count}));
    }
}

SessionDataset readDataset(const Json& o, NpzReader& archive) {
    if (!o.isObject()) problem("its 'dataset' is not an object");
    SessionDataset d;
    d.kind = kindFromString(text(o, "kind"));
    d.path = text(o, "path");
    d.name = text(o, "name");
    d.rows = static_cast<int>(integer(o, "rows", 1, 100000));
    d.cols = static_cast<int>(integer(o, "cols", 1, 100000));
    d.trainCount = static_cast<std::size_t>(integer(o, "trainCount", 1, 1e9));
    d.testCount = static_cast<std::size_t>(integer(o, "testCount", 0, 1e9));
    d.fingerprint = text(o, "fingerprint");
    if (d.kind == SessionDataset::Kind::Path && d.path.empty()) problem("its dataset has no path");
    // The shape the settings claim, against the ceiling, before any image is read.
    for (const std::size_t count : {d.trainCount, d.testCount}) {
        const std::string why = whyImagesDoNotFit(count, std::uint64_t(d.rows), std::uint64_t(d.cols));
        if (!why.empty()) problem("its dataset is too large: " + why);
    }
    if (d.kind != SessionDataset::Kind::Inline) return d;

    DatasetPair pair;
    for (Dataset* set : {&pair.train, &pair.test}) {
        const bool train = set == &pair.train;
        const std::string prefix = train ? "train" : "test";
        set->name = d.name;
        set->source = "session";
        set->rows = d.rows;
        set->cols = d.cols;
        set->count = train ? d.trainCount : d.testCount;
        if (set->count == 0) continue;
        const std::vector<std::size_t> shape{set->count, std::size_t(d.rows), std::size_t(d.cols)};
        set->pixels = needArray(archive, prefix + "_pixels", "|u1", shape).data;
        if (member(o, prefix + "Labels").isBool() && o[prefix + "Labels"].boolean())
            set->labels = needArray(archive, prefix + "_labels", "|u1", {set->count}).data;
    }
    if (datasetFingerprint(pair.train, pair.test) != d.fingerprint) problem("its dataset does not match its fingerprint (damaged)");
    d.data = std::move(pair);
    return d;
}

void addModels(const std::vector<SessionModel>& models, Json& j, std::vector<NpyArray>& arrays) {
    Json list = Json::array();
    for (std::size_t i = 0; i < models.size(); ++i) {
        const std::string array = "model_" + std::to_string(i);
        ScratchFile scratch;
        try {
            saveCheckpoint(scratch.path(), models[i].checkpoint);
        } catch (const Error& e) {
            problem("model '" + models[i].name + "': " + reasonOf(e.what(), scratch.path()));
        }
        std::vector<std::uint8_t> bytes = readBytes(scratch.path());
        const std::size_t n = bytes.size();
        arrays.push_back(byteArray(array, std::move(bytes), {n}));
        Json m = Json::object();
        m.set("name", models[i].name);
        m.set("array", array);
        list.push(m);
    }
    j.set("models", list);
}

std::vector<SessionModel> readModels(const Json& list, NpzReader& archive, int nVisible) {
    if (!list.isArray()) problem("its 'models' is not a list");
    if (list.size() > 1000) problem("it lists " + std::to_string(list.size()) + " models");
    std::vector<SessionModel> models;
    for (std::size_t i = 0; i < list.size(); ++i) {
        SessionModel m;
        m.name = text(list.at(i), "name");
        const std::string array = text(list.at(i), "array");
        const std::optional<NpyHeader> h = archive.header(array);
        if (!h) problem("its model '" + m.name + "' (array '" + array + "') is missing");
        if (h->dtype != "|u1" || h->shape.size() != 1) problem("its model '" + m.name + "' is not a checkpoint's bytes");
        const std::optional<NpyArray> a = archive.read(array);
        ScratchFile scratch;
        {
            std::ofstream out(scratch.path(), std::ios::binary | std::ios::trunc);
            out.write(reinterpret_cast<const char*>(a->data.data()), static_cast<std::streamsize>(a->data.size()));
            if (!out.flush()) problem("cannot write the temporary file " + scratch.path());
        }
        try {
            m.checkpoint = loadCheckpoint(scratch.path());
        } catch (const Error& e) {
            problem("its model '" + m.name + "' is damaged: " + reasonOf(e.what(), scratch.path()));
        }
        if (m.checkpoint.model.nVisible() != nVisible)
            problem("its model '" + m.name + "' has " + std::to_string(m.checkpoint.model.nVisible()) +
                    " visible units but its images have " + std::to_string(nVisible) + " pixels");
        models.push_back(std::move(m));
    }
    return models;
}

void addDream(const SessionDream& d, Json& j, std::vector<NpyArray>& arrays) {
    const std::size_t n = std::size_t(d.rows) * std::size_t(d.cols);
    if (d.drawing.size() != n) problem("the dream's drawing has " + std::to_string(d.drawing.size()) + " pixels, not " + std::to_string(n));
    if (!d.clampMask.empty() && d.clampMask.size() != n) problem("the dream's clamp mask does not match its drawing");
    Json o = Json::object();
    o.set("seed", seedJson(d.seed));
    o.set("chains", d.chains);
    o.set("beta", d.beta);
    o.set("meanField", d.meanField);
    o.set("rows", d.rows);
    o.set("cols", d.cols);
    o.set("clamped", !d.clampMask.empty());
    j.set("dream", o);
    const std::vector<std::size_t> shape{std::size_t(d.rows), std::size_t(d.cols)};
    arrays.push_back(NpyArray::fromFloats("dream_drawing", d.drawing.data(), shape));
    if (!d.clampMask.empty()) arrays.push_back(NpyArray::fromFloats("dream_clamp", d.clampMask.data(), shape));
}

std::vector<float> imageFrom(NpzReader& archive, const std::string& name, int rows, int cols) {
    std::vector<float> v = needArray(archive, name, "<f4", {std::size_t(rows), std::size_t(cols)}).toFloats();
    for (float x : v)
        if (!(x >= 0.0f && x <= 1.0f)) problem("its '" + name + "' holds a value outside [0, 1]");
    return v;
}

/// The dream, drawn on the images' `rows` x `cols` (checked before its arrays are read).
SessionDream readDream(const Json& o, NpzReader& archive, int rows, int cols) {
    if (!o.isObject()) problem("its 'dream' is not an object");
    SessionDream d;
    d.seed = seedFrom(o, "seed");
    d.chains = static_cast<int>(integer(o, "chains", 1, 1000));
    const Json& beta = member(o, "beta");
    if (!beta.isNumber() || !(beta.number() >= 0.0 && beta.number() <= 1000.0)) problem("its dream's 'beta' is not a number from 0 to 1000");
    d.beta = static_cast<float>(beta.number());
    if (!member(o, "meanField").isBool()) problem("its dream's 'meanField' is not true or false");
    d.meanField = o["meanField"].boolean();
    d.rows = static_cast<int>(integer(o, "rows", 1, 10000));
    d.cols = static_cast<int>(integer(o, "cols", 1, 10000));
    if (d.rows != rows || d.cols != cols)
        problem("its dream is drawn on " + std::to_string(d.rows) + "x" + std::to_string(d.cols) + " pixels but its images have " +
                std::to_string(rows) + "x" + std::to_string(cols));
    d.drawing = imageFrom(archive, "dream_drawing", d.rows, d.cols);
    if (member(o, "clamped").isBool() && o["clamped"].boolean()) d.clampMask = imageFrom(archive, "dream_clamp", d.rows, d.cols);
    return d;
}

/// Reads the settings first, then only the arrays they name, each checked before it is inflated.
Session build(NpzReader& archive) {
    const std::optional<NpyHeader> header = archive.header("session");
    if (!header) {
        if (archive.header("W")) problem("it is a model checkpoint, not a session (open it with File > Open model)");
        problem("it is not an RBM Studio session (it has no 'session' entry)");
    }
    if (header->dtype.compare(0, 2, "<U") != 0 || !header->shape.empty()) problem("its 'session' entry is not a text");
    if (header->payloadBytes > kSessionMaxSettingsBytes)
        problem("its settings claim " + formatBytes(header->payloadBytes) + ", more than the limit of " +
                formatBytes(kSessionMaxSettingsBytes) + " for a session's settings");
    std::string settings;
    try {
        settings = archive.find("session")->toString();
    } catch (const FileError&) {
        throw;
    } catch (const Error& e) {
        problem(std::string("its settings are not readable text (") + e.what() + ")");
    }
    Json j;
    try {
        j = Json::parse(settings);
    } catch (const Error& e) {
        problem(std::string("its settings are not readable JSON (") + e.what() + ")");
    }
    if (!j.isObject() || !j["format"].isString() || j["format"].string() != kFormat)
        problem("it is not an RBM Studio session (its 'session' entry has another format)");
    const double version = integer(j, "version", 1, 1e9);
    if (version > kSessionVersion)
        problem("it was written by a newer RBM Studio (session version " + Json::formatNumber(version) + "; this one reads version " +
                std::to_string(kSessionVersion) + "): update RBM Studio to open it");

    Session s;
    if (j["createdBy"].isString()) s.createdBy = j["createdBy"].string();
    try {
        s.config = trainingConfigFromJson(member(j, "config").dump());
        s.config.validate();
    } catch (const Error& e) {
        problem(std::string("its training settings are invalid (") + e.what() + ")");
    }
    const Json& dataset = member(j, "dataset");
    if (dataset.isObject() && dataset["rows"].isNumber() && dataset["cols"].isNumber()) {
        // The model the settings make, against the ceiling (not this machine's memory: Start
        // checks that), before any array is read.
        const double pixels = dataset["rows"].number() * dataset["cols"].number();
        if (pixels >= 1 && pixels <= 1e10) {
            const std::string why = whyTrainingDoesNotFit(s.config, static_cast<std::int64_t>(pixels), 1, 0);
            if (!why.empty()) problem("its settings cannot train: " + why);
        }
    }
    s.dataset = readDataset(dataset, archive);
    const int nVisible = s.dataset.rows * s.dataset.cols;
    s.models = readModels(member(j, "models"), archive, nVisible);
    if (j.has("dream") && !j["dream"].isNull()) s.dream = readDream(j["dream"], archive, s.dataset.rows, s.dataset.cols);
    return s;
}

}  // namespace

const char* datasetKindName(SessionDataset::Kind k) {
    switch (k) {
    case SessionDataset::Kind::Embedded: return "embedded";
    case SessionDataset::Kind::Path: return "path";
    case SessionDataset::Kind::Inline: return "inline";
    }
    return "embedded";
}

std::string datasetFingerprint(const Dataset& train, const Dataset& test) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const Dataset* d : {&train, &test}) {
        fnvNumber(h, d->count);
        fnvNumber(h, static_cast<std::uint64_t>(d->rows));
        fnvNumber(h, static_cast<std::uint64_t>(d->cols));
        fnv(h, d->pixels.data(), d->pixels.size());
        fnvNumber(h, d->labels.size());
        fnv(h, d->labels.data(), d->labels.size());
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

SessionDataset describeDataset(const Dataset& train, const Dataset& test, const std::string& path, std::size_t inlineLimit) {
    SessionDataset d;
    d.name = train.name;
    d.rows = train.rows;
    d.cols = train.cols;
    d.trainCount = train.count;
    d.testCount = test.count;
    d.fingerprint = datasetFingerprint(train, test);
    if (path.empty() || path == "embedded") {
        d.kind = SessionDataset::Kind::Embedded;
    } else if (train.pixels.size() + test.pixels.size() > inlineLimit) {
        d.kind = SessionDataset::Kind::Path;
        d.path = path;
    } else {
        d.kind = SessionDataset::Kind::Inline;
        d.path = path;
        d.data = DatasetPair{train, test};
    }
    return d;
}

DatasetPair resolveSessionDataset(const SessionDataset& d) {
    if (d.kind == SessionDataset::Kind::Inline) {
        if (!d.data) throw Error("The session's inline dataset has no images.");
        return *d.data;
    }
    const std::string where = d.kind == SessionDataset::Kind::Embedded ? std::string("the embedded digits") : "'" + d.path + "'";
    DatasetPair pair;
    try {
        pair = d.kind == SessionDataset::Kind::Embedded ? loadEmbeddedMnist() : loadDataset(d.path);
    } catch (const Error& e) {
        throw Error("The session trains on the dataset " + where + ", which cannot be opened here: " + e.what());
    }
    const std::string found = datasetFingerprint(pair.train, pair.test);
    if (!d.fingerprint.empty() && found != d.fingerprint)
        throw Error("The dataset " + where + " is not the one the session was saved with (" + std::to_string(pair.train.count) +
                    " training images, fingerprint " + found + "; the session expects " + std::to_string(d.trainCount) +
                    ", fingerprint " + d.fingerprint + "), so the run would not be the same.");
    return pair;
}

void saveSession(const std::string& path, const Session& s) {
    std::vector<NpyArray> arrays;
    Json j = Json::object();
    try {
        j.set("format", kFormat);
        j.set("version", kSessionVersion);
        j.set("createdBy", s.createdBy);
        j.set("config", Json::parse(toJson(s.config)));
        addDataset(s.dataset, j, arrays);
        const int nVisible = s.dataset.rows * s.dataset.cols;
        for (const SessionModel& m : s.models)
            if (m.checkpoint.model.nVisible() != nVisible)
                problem("model '" + m.name + "' has " + std::to_string(m.checkpoint.model.nVisible()) +
                        " visible units but the images have " + std::to_string(nVisible) + " pixels");
        addModels(s.models, j, arrays);
        if (s.dream) addDream(*s.dream, j, arrays);
    } catch (const Problem& p) {
        throw Error("Cannot save session '" + path + "': " + p.reason + ".");
    }
    arrays.insert(arrays.begin(), NpyArray::fromString("session", j.dump(2)));
    writeNpz(path, arrays);  // atomic; its Error names the path
}

Session loadSession(const std::string& path) {
    // NpzReader refuses a FIFO, a device, a socket or a folder before opening it, and reads
    // nothing but the zip directory until an array is asked for.
    try {
        NpzReader archive(path);
        return build(archive);
    } catch (const Problem& p) {
        throw Error("Cannot open session '" + path + "': " + p.reason + ".");
    } catch (const FileError& e) {
        throw Error("Cannot open session '" + path + "': " + e.reason() + ".");
    }
}

}  // namespace rbm
