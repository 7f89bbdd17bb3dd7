#include "rbm/npz.h"

#include <sys/stat.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
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

/// Reads the .npy entries of an open archive (only `onlyName` if given). `archiveSize` bounds
/// what each entry may claim: deflate cannot expand more than ~1032:1.
std::vector<NpyArray> readArchive(zip_t* za, std::uint64_t archiveSize, const std::string* onlyName) {
    const zip_int64_t entries = zip_get_num_entries(za, 0);
    if (entries < 0) problem("cannot list the archive");
    std::vector<NpyArray> out;
    std::set<std::string> seen;
    std::uint64_t total = 0;
    for (zip_int64_t i = 0; i < entries; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0) problem("cannot read entry " + std::to_string(i) + ": " + zip_strerror(za));
        const zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
        if ((st.valid & need) != need) problem("entry " + std::to_string(i) + " lacks its name or size");
        const std::string file = st.name;
        if (!endsWith(file, ".npy")) continue;  // numpy ignores non-array members too
        const std::string name = file.substr(0, file.size() - 4);
        if (!seen.insert(name).second) problem("array '" + name + "' appears twice");
        if (onlyName && name != *onlyName) continue;
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            problem("array '" + name + "' is encrypted");
        if (st.size > kNpzMaxEntryBytes)
            problem("array '" + name + "' claims " + std::to_string(st.size) + " bytes, more than the limit of " +
                    std::to_string(kNpzMaxEntryBytes));
        total += st.size;
        if (total > kNpzMaxTotalBytes)
            problem("the arrays claim more than the limit of " + std::to_string(kNpzMaxTotalBytes) + " bytes in total");
        if (st.comp_size > archiveSize)
            problem("array '" + name + "' claims " + std::to_string(st.comp_size) + " compressed bytes in a " +
                    std::to_string(archiveSize) + "-byte file (truncated?)");
        if (st.comp_method == ZIP_CM_STORE ? st.size != st.comp_size : st.size > st.comp_size * 1100 + 4096)
            problem("array '" + name + "' claims an impossible size (" + std::to_string(st.size) + " bytes from " +
                    std::to_string(st.comp_size) + " compressed)");

        zip_file_t* zf = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
        if (!zf) problem("cannot open array '" + name + "': " + zip_strerror(za));
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(st.size));
        std::size_t done = 0;
        bool failed = false;
        while (done < bytes.size()) {
            const zip_int64_t n = zip_fread(zf, bytes.data() + done, bytes.size() - done);
            if (n <= 0) {
                failed = true;
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        // One more read reaches the end of the entry, where libzip checks the CRC.
        std::uint8_t extra = 0;
        if (!failed && zip_fread(zf, &extra, 1) != 0) failed = true;
        std::string why;
        if (failed) {
            const zip_error_t* ze = zip_file_get_error(zf);
            const int code = ze ? zip_error_code_zip(ze) : ZIP_ER_OK;
            why = code == ZIP_ER_CRC ? "CRC error (the data is corrupt)"
                : code != ZIP_ER_OK  ? zip_file_strerror(zf)
                                     : "it is truncated";
        }
        zip_fclose(zf);
        if (failed) problem("array '" + name + "' cannot be read: " + why);
        try {
            out.push_back(parseNpy(bytes.data(), bytes.size(), name));
        } catch (const Error& e) {
            problem(e.what());
        }
    }
    return out;
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

namespace {

std::vector<NpyArray> readFile(const std::string& path, const std::string* onlyName) {
    try {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) problem(errno == ENOENT ? "no such file" : std::strerror(errno));
        if (S_ISDIR(st.st_mode)) problem("it is a folder, not a file");
        if (st.st_size == 0) problem("the file is empty");
        int code = 0;
        ZipPtr za(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
        if (!za) problem(openErrorReason(code));
        return readArchive(za.get(), static_cast<std::uint64_t>(st.st_size), onlyName);
    } catch (const Problem& p) {
        throw Error("Cannot read '" + path + "': " + p.reason + ".");
    }
}

}  // namespace

std::vector<NpyArray> readNpz(const std::string& path) { return readFile(path, nullptr); }

std::optional<NpyArray> readNpzArray(const std::string& path, const std::string& arrayName) {
    std::vector<NpyArray> found = readFile(path, &arrayName);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<NpyArray> readNpzFromMemory(const std::uint8_t* data, std::size_t size, const std::string& name) {
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
        ZipPtr za(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
        if (!za) {
            zip_source_free(src);
            const int code = zip_error_code_zip(&err);
            zip_error_fini(&err);
            problem(openErrorReason(code));
        }
        zip_error_fini(&err);
        return readArchive(za.get(), size, nullptr);
    } catch (const Problem& p) {
        throw Error("Cannot read '" + name + "': " + p.reason + ".");
    }
}
}  // namespace rbm
