#include "rbm/npz.h"

#include <zip.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace rbm {

namespace {

/// A reason without the file name; the public functions turn it into a sentence.
struct Problem {
    std::string reason;
};
[[noreturn]] void problem(std::string reason) { throw Problem{std::move(reason)}; }

std::string zipErrorText(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string s = zip_error_strerror(&e);
    zip_error_fini(&e);
    return s;
}

std::string openErrorReason(int code) {
    switch (code) {
    case ZIP_ER_NOENT: return "no such file";
    case ZIP_ER_NOZIP: return "not a zip archive (an .npz file), or truncated";
    case ZIP_ER_INCONS: return "the zip archive is inconsistent (truncated or corrupt)";
    case ZIP_ER_MEMORY: return "out of memory";
    case ZIP_ER_EXISTS: return "an array appears twice (two entries have the same name)";
    case ZIP_ER_EOF: return "the file ends early (truncated)";
    default: {
        std::string text = zipErrorText(code);  // "Multi-disk zip archives not supported"...
        if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
        return text;
    }
    }
}

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// One .npy entry of the archive as its directory describes it.
struct Entry {
    std::string name;  // without .npy
    zip_uint64_t index = 0;
    zip_uint64_t size = 0, compSize = 0;
    std::uint16_t method = 0;
    bool encrypted = false;
};

/// The archive's .npy entries from its directory alone (nothing is inflated). `archiveSize`
/// bounds what each entry may claim: deflate cannot expand more than ~1032:1.
std::vector<Entry> listEntries(zip_t* za, std::uint64_t archiveSize) {
    const zip_int64_t entries = zip_get_num_entries(za, 0);
    if (entries < 0) problem("cannot list the archive");
    std::vector<Entry> out;
    std::set<std::string> seen;
    for (zip_int64_t i = 0; i < entries; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0) problem("cannot read entry " + std::to_string(i) + ": " + zip_strerror(za));
        const zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
        if ((st.valid & need) != need) problem("entry " + std::to_string(i) + " lacks its name or size");
        const std::string file = st.name;
        if (!endsWith(file, ".npy")) continue;  // numpy ignores non-array members too
        Entry e;
        e.name = file.substr(0, file.size() - 4);
        if (!seen.insert(e.name).second) problem("array '" + e.name + "' appears twice");
        e.index = static_cast<zip_uint64_t>(i);
        e.size = st.size;
        e.compSize = st.comp_size;
        e.method = st.comp_method;
        e.encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
        if (e.compSize > archiveSize)
            problem("array '" + e.name + "' claims " + std::to_string(e.compSize) + " compressed bytes in a " +
                    std::to_string(archiveSize) + "-byte file (truncated?)");
        out.push_back(std::move(e));
    }
    return out;
}

/// Reads up to `n` more bytes of an open entry into `bytes`; false when the entry failed
/// (why says so) and true at its end or after `n` bytes.
bool readEntry(zip_file_t* zf, std::vector<std::uint8_t>& bytes, std::size_t n) {
    std::size_t done = 0;
    const std::size_t at = bytes.size();
    bytes.resize(at + n);
    while (done < n) {
        const zip_int64_t got = zip_fread(zf, bytes.data() + at + done, n - done);
        if (got <= 0) {
            bytes.resize(at + done);
            return false;
        }
        done += static_cast<std::size_t>(got);
    }
    return true;
}

std::string entryFailure(zip_file_t* zf) {
    const zip_error_t* ze = zip_file_get_error(zf);
    const int code = ze ? zip_error_code_zip(ze) : ZIP_ER_OK;
    return code == ZIP_ER_CRC ? "CRC error (the data is corrupt)" : code != ZIP_ER_OK ? zip_file_strerror(zf) : "it is truncated";
}

/// An open entry, closed when it goes out of scope.
struct EntryFile {
    zip_file_t* f = nullptr;
    ~EntryFile() {
        if (f) zip_fclose(f);
    }
};

/// Opens one entry after checking its declared size against the limits and the compressed
/// size, and inflates its .npy header (its first bytes only) into `bytes`, checked against the
/// declared size. `total` counts the entries opened, for the archive's limit.
NpyHeader openArray(zip_t* za, const Entry& e, std::uint64_t& total, EntryFile& file, std::vector<std::uint8_t>& bytes) {
    const std::string& name = e.name;
    if (e.encrypted) problem("array '" + name + "' is encrypted");
    if (e.size > kNpzMaxEntryBytes)
        problem("array '" + name + "' claims " + formatBytes(e.size) + ", more than the limit of " +
                formatBytes(kNpzMaxEntryBytes) + " per array");
    total += e.size;
    if (total > kNpzMaxTotalBytes)
        problem("the arrays claim more than the limit of " + formatBytes(kNpzMaxTotalBytes) + " in total");
    if (e.method == ZIP_CM_STORE ? e.size != e.compSize : e.size > e.compSize * 1100 + 4096)
        problem("array '" + name + "' claims an impossible size (" + std::to_string(e.size) + " bytes from " +
                std::to_string(e.compSize) + " compressed)");

    file.f = zip_fopen_index(za, e.index, 0);
    if (!file.f) problem("cannot open array '" + name + "': " + zip_strerror(za));
    const std::size_t size = static_cast<std::size_t>(e.size);
    if (!readEntry(file.f, bytes, std::min(size, kNpyMaxHeaderBytes)))
        problem("array '" + name + "' cannot be read: " + entryFailure(file.f));
    try {
        return parseNpyHeader(bytes.data(), bytes.size(), size, name);  // the shape must account for the size
    } catch (const Error& err) {
        problem(err.what());
    }
}

/// One entry, checked before it is inflated (openArray), then inflated whole.
NpyArray readArray(zip_t* za, const Entry& e, std::uint64_t& total) {
    EntryFile file;
    std::vector<std::uint8_t> bytes;
    openArray(za, e, total, file, bytes);
    const std::size_t size = static_cast<std::size_t>(e.size), head = bytes.size();
    bytes.reserve(size);
    // One more read past the end reaches the end of the entry, where libzip checks the CRC.
    std::uint8_t extra = 0;
    if (!readEntry(file.f, bytes, size - head) || zip_fread(file.f, &extra, 1) != 0)
        problem("array '" + e.name + "' cannot be read: " + entryFailure(file.f));
    try {
        return parseNpy(bytes.data(), bytes.size(), e.name);
    } catch (const Error& err) {
        problem(err.what());
    }
}

}  // namespace

void writeNpz(const std::string& path, const std::vector<NpyArray>& arrays) {
    std::vector<std::vector<std::uint8_t>> encoded;
    std::set<std::string> names;
    encoded.reserve(arrays.size());
    for (const NpyArray& a : arrays) {
        if (a.name.empty()) throw Error("Cannot save '" + path + "': an array has no name.");
        if (!names.insert(a.name).second) throw Error("Cannot save '" + path + "': array '" + a.name + "' appears twice.");
        encoded.push_back(encodeNpy(a));
    }
    if (arrays.empty()) {
        // libzip writes no file at all for an empty archive; this is the 22-byte empty zip.
        writeFileAtomically(path, std::string("PK\x05\x06", 4) + std::string(18, '\0'));
        return;
    }

    AtomicFile file(path);
    try {
        int code = 0;
        ZipPtr za(zip_open(file.temporaryPath().c_str(), ZIP_CREATE | ZIP_EXCL, &code));
        if (!za) problem("cannot create a temporary file beside it (" + zipErrorText(code) + ")");
        for (std::size_t i = 0; i < arrays.size(); ++i) {
            zip_source_t* src = zip_source_buffer(za.get(), encoded[i].data(), encoded[i].size(), 0);
            if (!src) problem(std::string("cannot add array '") + arrays[i].name + "' (" + zip_strerror(za.get()) + ")");
            const std::string entry = arrays[i].name + ".npy";
            const zip_int64_t idx = zip_file_add(za.get(), entry.c_str(), src, ZIP_FL_ENC_UTF_8);
            if (idx < 0) {
                zip_source_free(src);
                problem(std::string("cannot add array '") + arrays[i].name + "' (" + zip_strerror(za.get()) + ")");
            }
            // Stored, like numpy.savez: fast, and numpy can memory-map nothing else anyway.
            zip_set_file_compression(za.get(), static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
        }
        if (zip_close(za.get()) != 0) problem(std::string("cannot write (") + zip_strerror(za.get()) + ")");
        za.release();  // zip_close freed it
    } catch (const Problem& p) {
        file.fail(p.reason);  // ~AtomicFile removes the temporary file
    }
    file.commit();
}

struct NpzReader::Impl {
    std::string name;
    ZipPtr zip;
    std::vector<Entry> entries;
    std::uint64_t total = 0;  // bytes of the arrays read so far
    std::map<std::string, NpyArray> kept;  // find()'s
};

NpzReader::NpzReader(const std::string& path) : impl_(new Impl) {
    impl_->name = path;
    try {
        std::uint64_t fileSize = 0;
        {
            // Opened here first: a FIFO or a device is refused without blocking (libzip
            // would wait on a FIFO forever).
            const ReadableFile file(path);
            fileSize = file.size();
        }
        if (fileSize == 0) problem("the file is empty");
        int code = 0;
        impl_->zip.reset(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
        if (!impl_->zip) problem(openErrorReason(code));
        impl_->entries = listEntries(impl_->zip.get(), fileSize);
    } catch (const Problem& p) {
        delete impl_;
        throw FileError(path, p.reason);
    } catch (...) {
        delete impl_;
        throw;
    }
}

NpzReader::NpzReader(const std::uint8_t* data, std::size_t size, const std::string& name) : impl_(new Impl) {
    impl_->name = name;
    try {
        if (size == 0) problem("the data is empty");
        zip_error_t err;
        zip_error_init(&err);
        zip_source_t* src = zip_source_buffer_create(data, size, 0, &err);
        if (!src) {
            const std::string why = zip_error_strerror(&err);
            zip_error_fini(&err);
            problem(why);
        }
        impl_->zip.reset(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
        if (!impl_->zip) {
            zip_source_free(src);
            const int code = zip_error_code_zip(&err);
            zip_error_fini(&err);
            problem(openErrorReason(code));
        }
        zip_error_fini(&err);
        impl_->entries = listEntries(impl_->zip.get(), size);
    } catch (const Problem& p) {
        delete impl_;
        throw FileError(name, p.reason);
    }
}

NpzReader::~NpzReader() { delete impl_; }

std::vector<std::string> NpzReader::names() const {
    std::vector<std::string> out;
    for (const Entry& e : impl_->entries) out.push_back(e.name);
    return out;
}

std::optional<NpyArray> NpzReader::read(const std::string& name) {
    for (const Entry& e : impl_->entries) {
        if (e.name != name) continue;
        try {
            return readArray(impl_->zip.get(), e, impl_->total);
        } catch (const Problem& p) {
            throw FileError(impl_->name, p.reason);
        }
    }
    return std::nullopt;
}

std::optional<NpyHeader> NpzReader::header(const std::string& name) {
    for (const Entry& e : impl_->entries) {
        if (e.name != name) continue;
        try {
            std::uint64_t total = 0;  // a look at the header counts against no total
            EntryFile file;
            std::vector<std::uint8_t> bytes;
            return openArray(impl_->zip.get(), e, total, file, bytes);
        } catch (const Problem& p) {
            throw FileError(impl_->name, p.reason);
        }
    }
    return std::nullopt;
}

const NpyArray* NpzReader::find(const std::string& name) {
    auto it = impl_->kept.find(name);
    if (it == impl_->kept.end()) {
        std::optional<NpyArray> a = read(name);
        if (!a) return nullptr;
        it = impl_->kept.emplace(name, std::move(*a)).first;
    }
    return &it->second;
}

namespace {

std::vector<NpyArray> readAll(NpzReader& reader) {
    std::vector<NpyArray> out;
    for (const std::string& name : reader.names()) out.push_back(*reader.read(name));
    return out;
}

}  // namespace

std::vector<NpyArray> readNpz(const std::string& path) {
    NpzReader reader(path);
    return readAll(reader);
}

std::optional<NpyArray> readNpzArray(const std::string& path, const std::string& arrayName) {
    NpzReader reader(path);
    return reader.read(arrayName);
}

std::vector<NpyArray> readNpzFromMemory(const std::uint8_t* data, std::size_t size, const std::string& name) {
    NpzReader reader(data, size, name);
    return readAll(reader);
}
}  // namespace rbm
