#include "rbm/json.h"
#include "rbm/utf8.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <system_error>

#include "rbm/types.h"

namespace rbm {

namespace {

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

/// Length of the well-formed UTF-8 sequence at s[i] (1-4), or 0 if it is malformed
/// (overlong forms, surrogates and code points above U+10FFFF are malformed too).
std::size_t utf8SequenceLength(const std::string& s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0, minimum = 0;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1Fu; minimum = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0Fu; minimum = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07u; minimum = 0x10000; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (d & 0x3Fu);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/// Text out is always valid UTF-8: a malformed byte (a Latin-1 file name, say) becomes U+FFFD.
void dumpString(std::string& out, const std::string& s) {
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            const std::size_t len = utf8SequenceLength(s, i);
            if (len == 0) {
                out += "\xEF\xBF\xBD";
            } else {
                out.append(s, i, len);
                i += len - 1;
            }
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

}  // namespace

/// Recursive-descent parser over the whole text; every error carries the byte offset.
class JsonParser {
public:
    explicit JsonParser(const std::string& text) : s_(text) {}

    Json parseDocument() {
        skipSpace();
        Json v = parseValue(0);
        skipSpace();
        if (pos_ != s_.size()) fail("unexpected characters after the value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& reason) const { failAt(pos_, reason); }
    [[noreturn]] void failAt(std::size_t offset, const std::string& reason) const {
        throw Error("invalid JSON at offset " + std::to_string(offset) + ": " + reason);
    }

    bool atEnd() const { return pos_ >= s_.size(); }
    char peek() const { return s_[pos_]; }

    void skipSpace() {
        while (!atEnd()) {
            const char c = peek();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }

    void expectLiteral(const char* word) {
        const std::size_t n = std::strlen(word);
        if (s_.compare(pos_, n, word) != 0) fail(std::string("expected '") + word + "'");
        pos_ += n;
    }

    Json parseValue(int depth) {
        if (atEnd()) fail("unexpected end of input");
        const char c = peek();
        switch (c) {
        case '{': return parseObject(depth + 1);
        case '[': return parseArray(depth + 1);
        case '"': return Json(parseString());
        case 't': expectLiteral("true"); return Json(true);
        case 'f': expectLiteral("false"); return Json(false);
        case 'n': expectLiteral("null"); return Json();
        default:
            if (c == '-' || (c >= '0' && c <= '9')) return Json(parseNumber());
            fail(std::string("unexpected character '") + printable(c) + "'");
        }
    }

    static std::string printable(char c) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F) return std::string(1, c);
        static const char hex[] = "0123456789abcdef";
        return std::string("\\x") + hex[u >> 4] + hex[u & 0xF];
    }

    void checkDepth(int depth) const {
        if (depth > Json::maxDepth)
            fail("nesting deeper than " + std::to_string(Json::maxDepth) + " levels");
    }

    Json parseObject(int depth) {
        checkDepth(depth);
        ++pos_;  // '{'
        Json obj = Json::object();
        skipSpace();
        if (!atEnd() && peek() == '}') {
            ++pos_;
            return obj;
        }
        // Index of each key, so that a huge hostile object costs O(n log n), not O(n^2).
        std::map<std::string, std::size_t> index;
        for (;;) {
            skipSpace();
            if (atEnd()) fail("unexpected end of input inside an object");
            if (peek() != '"') fail("expected a string key");
            std::string key = parseString();
            skipSpace();
            if (atEnd() || peek() != ':') fail("expected ':' after an object key");
            ++pos_;
            skipSpace();
            Json value = parseValue(depth);
            const auto found = index.find(key);
            if (found != index.end()) {
                obj.object_[found->second].second = std::move(value);  // the last duplicate wins
            } else {
                index.emplace(key, obj.object_.size());
                obj.object_.emplace_back(std::move(key), std::move(value));
            }
            skipSpace();
            if (atEnd()) fail("unexpected end of input inside an object");
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == '}') {
                ++pos_;
                return obj;
            }
            fail("expected ',' or '}' in an object");
        }
    }

    Json parseArray(int depth) {
        checkDepth(depth);
        ++pos_;  // '['
        Json arr = Json::array();
        skipSpace();
        if (!atEnd() && peek() == ']') {
            ++pos_;
            return arr;
        }
        for (;;) {
            skipSpace();
            arr.array_.push_back(parseValue(depth));
            skipSpace();
            if (atEnd()) fail("unexpected end of input inside an array");
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() == ']') {
                ++pos_;
                return arr;
            }
            fail("expected ',' or ']' in an array");
        }
    }

    std::uint32_t parseHex4() {
        if (s_.size() - pos_ < 4) fail("truncated \\u escape");
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = s_[pos_];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
            else fail("invalid hex digit in a \\u escape");
            ++pos_;
        }
        return v;
    }

    std::string parseString() {
        const std::size_t start = pos_;
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            if (atEnd()) failAt(start, "unterminated string");
            const char c = s_[pos_];
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("control character inside a string");
            if (c != '\\') {
                out += c;
                ++pos_;
                continue;
            }
            ++pos_;
            if (atEnd()) failAt(start, "unterminated string");
            const char e = s_[pos_];
            switch (e) {
            case '"': out += '"'; ++pos_; break;
            case '\\': out += '\\'; ++pos_; break;
            case '/': out += '/'; ++pos_; break;
            case 'b': out += '\b'; ++pos_; break;
            case 'f': out += '\f'; ++pos_; break;
            case 'n': out += '\n'; ++pos_; break;
            case 'r': out += '\r'; ++pos_; break;
            case 't': out += '\t'; ++pos_; break;
            case 'u': {
                const std::size_t escapeAt = pos_ - 1;
                ++pos_;
                std::uint32_t cp = parseHex4();
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (s_.compare(pos_, 2, "\\u") != 0)
                        failAt(escapeAt, "high surrogate without a following low surrogate");
                    pos_ += 2;
                    const std::uint32_t lo = parseHex4();
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        failAt(escapeAt, "high surrogate without a following low surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    failAt(escapeAt, "lone low surrogate");
                }
                appendUtf8(out, cp);
                break;
            }
            default: fail(std::string("invalid escape '\\") + printable(e) + "'");
            }
        }
    }

    double parseNumber() {
        // JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        const std::size_t start = pos_;
        auto digit = [&] { return !atEnd() && peek() >= '0' && peek() <= '9'; };
        if (peek() == '-') ++pos_;
        if (!digit()) fail("expected a digit");
        if (peek() == '0') {
            ++pos_;
            if (digit()) fail("leading zeros are not allowed");
        } else {
            while (digit()) ++pos_;
        }
        if (!atEnd() && peek() == '.') {
            ++pos_;
            if (!digit()) fail("expected a digit after the decimal point");
            while (digit()) ++pos_;
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            ++pos_;
            if (!atEnd() && (peek() == '+' || peek() == '-')) ++pos_;
            if (!digit()) fail("expected a digit in the exponent");
            while (digit()) ++pos_;
        }
        double value = 0;
        const char* first = s_.data() + start;
        const char* last = s_.data() + pos_;
        // from_chars does not accept a leading '+', which JSON forbids anyway; it is
        // locale-independent, unlike strtod (Qt sets LC_NUMERIC from the environment).
        const std::from_chars_result r = std::from_chars(first, last, value);
        if (r.ec == std::errc::result_out_of_range) failAt(start, "number out of range");
        if (r.ec != std::errc() || r.ptr != last) failAt(start, "malformed number");
        return value;
    }

    const std::string& s_;
    std::size_t pos_ = 0;
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
    std::string out;
    dumpTo(out, indent, 0);
    return out;
}

void Json::dumpTo(std::string& out, int indent, int depth) const {
    const bool pretty = indent >= 0;
    auto newline = [&](int level) {
        if (!pretty) return;
        out += '\n';
        out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(level), ' ');
    };
    switch (type_) {
    case Type::Null: out += "null"; break;
    case Type::Bool: out += bool_ ? "true" : "false"; break;
    case Type::Number: out += formatNumber(number_); break;
    case Type::String: dumpString(out, string_); break;
    case Type::Array:
        if (array_.empty()) {
            out += "[]";
            break;
        }
        out += '[';
        for (std::size_t i = 0; i < array_.size(); ++i) {
            if (i) out += ',';
            newline(depth + 1);
            array_[i].dumpTo(out, indent, depth + 1);
        }
        newline(depth);
        out += ']';
        break;
    case Type::Object:
        if (object_.empty()) {
            out += "{}";
            break;
        }
        out += '{';
        for (std::size_t i = 0; i < object_.size(); ++i) {
            if (i) out += ',';
            newline(depth + 1);
            dumpString(out, object_[i].first);
            out += pretty ? ": " : ":";
            object_[i].second.dumpTo(out, indent, depth + 1);
        }
        newline(depth);
        out += '}';
        break;
    }
}

Json Json::parse(const std::string& text) {
    return JsonParser(text).parseDocument();
}

}  // namespace rbm
