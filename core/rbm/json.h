#pragma once
/// A small JSON value for configurations, checkpoint metadata and `--json` output. Numbers are
/// doubles; objects keep key order. Text is read and written by nlohmann-json (json.cpp), so
/// the rest of the code needs neither its headers nor its exceptions: every failure is an Error.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rbm {

class JsonBuilder;

class Json {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Json() = default;
    Json(std::nullptr_t) {}
    Json(bool b) : type_(Type::Bool), bool_(b) {}
    Json(double d) : type_(Type::Number), number_(d) {}
    Json(int i) : type_(Type::Number), number_(i) {}
    Json(std::int64_t i) : type_(Type::Number), number_(static_cast<double>(i)) {}
    /// Exact up to 2^53 only (numbers are doubles): write larger values (seeds) as strings.
    Json(std::uint64_t i) : type_(Type::Number), number_(static_cast<double>(i)) {}
    /// A float is kept as the double nearest its shortest decimal form (0.05f prints as 0.05),
    /// and static_cast<float>(number()) gives back exactly the same float.
    Json(float f) : type_(Type::Number), number_(fromFloat(f)) {}
    Json(const char* s) : type_(Type::String), string_(s) {}
    Json(std::string s) : type_(Type::String), string_(std::move(s)) {}
    static Json array() { Json j; j.type_ = Type::Array; return j; }
    static Json object() { Json j; j.type_ = Type::Object; return j; }

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isObject() const { return type_ == Type::Object; }
    bool isArray() const { return type_ == Type::Array; }
    bool isNumber() const { return type_ == Type::Number; }
    bool isString() const { return type_ == Type::String; }
    bool isBool() const { return type_ == Type::Bool; }

    double number() const;              ///< throws Error if not a number
    const std::string& string() const;  ///< throws Error if not a string
    bool boolean() const;               ///< throws Error if not a bool

    // arrays
    void push(Json v);
    std::size_t size() const;
    const Json& at(std::size_t i) const;
    // objects (insertion order is kept for readable output)
    void set(const std::string& key, Json v);
    bool has(const std::string& key) const;
    const Json& operator[](const std::string& key) const;  ///< a null Json if absent
    const std::vector<std::pair<std::string, Json>>& items() const { return object_; }

    /// indent < 0: one line; otherwise pretty-printed with that many spaces. Always valid UTF-8:
    /// a malformed byte sequence in a string (a Latin-1 file name, say) becomes U+FFFD.
    std::string dump(int indent = -1) const;
    /// Throws Error("invalid JSON at offset N (line L, column C): reason"), N counted in bytes
    /// from 0 at the last byte read. Nesting deeper than maxDepth is refused; strings must be
    /// valid UTF-8.
    static Json parse(const std::string& text);
    static constexpr int maxDepth = 200;

    /// The double nearest the shortest decimal that reads back as `f`.
    static double fromFloat(float f);
    /// Shortest decimal text that reads back as exactly `d` (locale-independent); "null"
    /// for NaN and infinities, which JSON cannot represent.
    static std::string formatNumber(double d);

private:
    friend class JsonBuilder;
    Type type_ = Type::Null;
    bool bool_ = false;
    double number_ = 0;
    std::string string_;
    std::vector<Json> array_;
    std::vector<std::pair<std::string, Json>> object_;
};

}  // namespace rbm
