#include "rbm/json.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <system_error>
#include <map>

#include "rbm/types.h"

namespace rbm {

namespace {

using Ordered = nlohmann::ordered_json;

const char* typeName(Json::Type t) {
    switch (t) {
    case Json::Type::Null: return "null";
    case Json::Type::Bool: return "a boolean";
    case Json::Type::Number: return "a number";
    case Json::Type::String: return "a string";
    case Json::Type::Array: return "an array";
    case Json::Type::Object: return "an object";
    }
    return "unknown";
}

/// "invalid JSON at offset 12 (line 2, column 5): reason"; the offset counts bytes from 0,
/// lines and columns from 1 (as editors do), so a person can find the place in a config file.
[[noreturn]] void failAt(const std::string& text, std::size_t offset, const std::string& reason) {
    std::size_t line = 1, lineStart = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    throw Error("invalid JSON at offset " + std::to_string(offset) + " (line " + std::to_string(line) +
                ", column " + std::to_string(offset - lineStart + 1) + "): " + reason);
}

/// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
/// column 4: " prefix (the offset says where): "syntax error while parsing value - ...".
std::string reasonOf(const std::string& what) {
    std::string r = what;
    if (!r.empty() && r[0] == '[') {
        const std::size_t close = r.find("] ");
        if (close != std::string::npos) r.erase(0, close + 2);
    }
    if (r.compare(0, 11, "parse error") == 0) {
        const std::size_t colon = r.find(": ");
        if (colon != std::string::npos) r.erase(0, colon + 2);
    }
    return r;
}

/// Byte offset of the bracket that opens nesting level `level` (1 = the outermost), in text
/// that nlohmann has accepted up to that bracket.
std::size_t offsetOfLevel(const std::string& text, int level) {
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth == level) return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return text.size();
}

Ordered toOrdered(const Json& j) {
    switch (j.type()) {
    case Json::Type::Null: return nullptr;
    case Json::Type::Bool: return j.boolean();
    case Json::Type::Number: {
        // Integral values print as integers ("256", not "256.0"), as they always did.
        const double d = j.number();
        if (std::floor(d) == d && std::fabs(d) <= 9007199254740992.0 && !(d == 0 && std::signbit(d)))
            return static_cast<std::int64_t>(d);
        return d;  // shortest round-trip form; NaN and infinities print as null
    }
    case Json::Type::String: return j.string();
    case Json::Type::Array: {
        Ordered a = Ordered::array();
        for (std::size_t i = 0; i < j.size(); ++i) a.push_back(toOrdered(j.at(i)));
        return a;
    }
    case Json::Type::Object: {
        Ordered o = Ordered::object();
        // Keys are unique already: append to the underlying vector instead of ordered_map's
        // emplace, which searches it first (quadratic for a wide object).
        auto& items = static_cast<Ordered::object_t::Container&>(o.get_ref<Ordered::object_t&>());
        items.reserve(j.size());
        for (const auto& kv : j.items()) items.emplace_back(kv.first, toOrdered(kv.second));
        return o;
    }
    }
    return nullptr;
}

}  // namespace

/// Builds a Json from nlohmann's parse events. Each open object keeps an index of its keys, so
/// that a hostile object with 200,000 keys costs O(n log n), not O(n^2); a duplicate key
/// replaces the first value in place (the last one wins). Containers are refused beyond
/// Json::maxDepth levels, before any is built, so hostile nesting costs no stack.
class JsonBuilder final : public nlohmann::json_sax<nlohmann::json> {
public:
    explicit JsonBuilder(const std::string& text) : text_(text) {}

    Json result;

    bool null() override { return put(Json()) != nullptr; }
    bool boolean(bool b) override { return put(Json(b)) != nullptr; }
    bool number_integer(number_integer_t v) override { return put(Json(static_cast<double>(v))) != nullptr; }
    bool number_unsigned(number_unsigned_t v) override { return put(Json(static_cast<double>(v))) != nullptr; }
    bool number_float(number_float_t v, const string_t& /*text*/) override { return put(Json(v)) != nullptr; }
    bool string(string_t& s) override { return put(Json(std::move(s))) != nullptr; }
    bool binary(binary_t& /*bytes*/) override { return false; }  // JSON text has no binary values
    bool start_object(std::size_t /*elements*/) override { return open(Json::object()); }
    bool start_array(std::size_t /*elements*/) override { return open(Json::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& k) override {
        Frame& f = open_.back();
        const auto found = f.index.try_emplace(k, f.node->object_.size());
        if (found.second) f.node->object_.emplace_back(std::move(k), Json());
        f.slot = found.first->second;
        return true;
    }

    bool parse_error(std::size_t position, const std::string& /*lastToken*/,
                     const nlohmann::detail::exception& e) override {
        // `position` counts bytes from 1 and points at the last byte read: the end of the token
        // that is wrong ("tru" at 3), or the byte that cannot start one.
        failAt(text_, position > 0 ? position - 1 : 0, reasonOf(e.what()));
    }

private:
    struct Frame {
        Json* node;
        std::map<std::string, std::size_t> index;  // objects only; a map, so no hash collisions to craft
        std::size_t slot = 0;                                // where the next object value goes
    };

    /// Stores a value where the parse is (the result, the end of an array, or the slot of the
    /// last key) and returns where it lies. Pointers stay valid: a container only grows while
    /// it is the innermost open one.
    Json* put(Json v) {
        if (open_.empty()) {
            result = std::move(v);
            return &result;
        }
        Frame& f = open_.back();
        if (f.node->type_ == Json::Type::Array) {
            f.node->array_.push_back(std::move(v));
            return &f.node->array_.back();
        }
        Json& slot = f.node->object_[f.slot].second;
        slot = std::move(v);
        return &slot;
    }

    bool open(Json container) {
        if (open_.size() >= static_cast<std::size_t>(Json::maxDepth))
            failAt(text_, offsetOfLevel(text_, Json::maxDepth + 1),
                   "nesting deeper than " + std::to_string(Json::maxDepth) + " levels");
        open_.push_back(Frame{put(std::move(container)), {}, 0});
        return true;
    }

    bool close() {
        open_.pop_back();
        return true;
    }

    const std::string& text_;
    std::vector<Frame> open_;
};

double Json::fromFloat(float f) {
    if (!std::isfinite(f)) return static_cast<double>(f);
    char buf[64];
    const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, f);  // shortest form
    double d = static_cast<double>(f);
    if (r.ec == std::errc()) {
        double parsed = 0;
        const std::from_chars_result p = std::from_chars(buf, r.ptr, parsed);
        // Guard against double rounding (decimal -> double -> float): keep the exact value then.
        if (p.ec == std::errc() && static_cast<float>(parsed) == f) d = parsed;
    }
    return d;
}

std::string Json::formatNumber(double d) {
    if (!std::isfinite(d)) return "null";
    if (d == 0) return std::signbit(d) ? "-0" : "0";
    char buf[64];
    const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, d);  // shortest round trip
    return std::string(buf, r.ptr);
}

double Json::number() const {
    if (type_ != Type::Number) throw Error(std::string("expected a number, got ") + typeName(type_));
    return number_;
}

const std::string& Json::string() const {
    if (type_ != Type::String) throw Error(std::string("expected a string, got ") + typeName(type_));
    return string_;
}

bool Json::boolean() const {
    if (type_ != Type::Bool) throw Error(std::string("expected true or false, got ") + typeName(type_));
    return bool_;
}

void Json::push(Json v) {
    if (type_ == Type::Null) type_ = Type::Array;
    if (type_ != Type::Array) throw Error(std::string("cannot append to ") + typeName(type_));
    array_.push_back(std::move(v));
}

std::size_t Json::size() const {
    if (type_ == Type::Array) return array_.size();
    if (type_ == Type::Object) return object_.size();
    return 0;
}

const Json& Json::at(std::size_t i) const {
    if (type_ != Type::Array) throw Error(std::string("expected an array, got ") + typeName(type_));
    if (i >= array_.size())
        throw Error("array index " + std::to_string(i) + " is out of range (size " +
                    std::to_string(array_.size()) + ")");
    return array_[i];
}

void Json::set(const std::string& key, Json v) {
    if (type_ == Type::Null) type_ = Type::Object;
    if (type_ != Type::Object) throw Error(std::string("cannot set key '") + key + "' on " + typeName(type_));
    for (auto& kv : object_) {
        if (kv.first == key) {
            kv.second = std::move(v);
            return;
        }
    }
    object_.emplace_back(key, std::move(v));
}

bool Json::has(const std::string& key) const {
    if (type_ != Type::Object) return false;
    for (const auto& kv : object_)
        if (kv.first == key) return true;
    return false;
}

const Json& Json::operator[](const std::string& key) const {
    static const Json null;
    if (type_ != Type::Object) return null;
    for (const auto& kv : object_)
        if (kv.first == key) return kv.second;
    return null;
}

std::string Json::dump(int indent) const {
    // replace: a malformed byte sequence becomes U+FFFD instead of an exception.
    return toOrdered(*this).dump(indent, ' ', false, Ordered::error_handler_t::replace);
}

Json Json::parse(const std::string& text) {
    JsonBuilder builder(text);
    // Every error reaches JsonBuilder::parse_error, which throws; false never comes back.
    if (!nlohmann::json::sax_parse(text, &builder)) failAt(text, text.size(), "cannot be parsed");
    return std::move(builder.result);
}

}  // namespace rbm
