// JSON parser/writer and the TrainingConfig <-> JSON mapping and validation.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "error_of.h"
#include "rbm/json.h"
#include "rbm/training_config.h"

using rbm::Json;

Q_DECLARE_METATYPE(std::function<void(rbm::TrainingConfig&)>)

namespace {

using rbm::testing::errorOf;

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

class TestJson : public QObject {
    Q_OBJECT

private slots:
    // ---------------------------------------------------------------- parse / dump

    void roundTrip_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("compact");
        QTest::newRow("null") << "null" << "null";
        QTest::newRow("true") << " true " << "true";
        QTest::newRow("false") << "false" << "false";
        QTest::newRow("zero") << "0" << "0";
        QTest::newRow("negative zero") << "-0.0" << "-0.0";
        QTest::newRow("integer zero with a sign") << "-0" << "0";  // an integer literal: no sign
        QTest::newRow("integer") << "12345" << "12345";
        QTest::newRow("negative") << "-17" << "-17";
        QTest::newRow("fraction") << "0.25" << "0.25";
        QTest::newRow("exponent") << "1E3" << "1000";
        QTest::newRow("small exponent") << "2.5e-10" << "2.5e-10";
        QTest::newRow("2^53") << "9007199254740992" << "9007199254740992";
        QTest::newRow("string") << "\"abc\"" << "\"abc\"";
        // (no raw strings here: moc mis-tokenizes \" inside R"(...)")
        QTest::newRow("escapes") << "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"" << "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"";
        QTest::newRow("control as \\u") << R"("\u0001")" << R"("\u0001")";
        QTest::newRow("unicode escape") << R"("\u00e9")" << QString::fromUtf8("\"\xc3\xa9\"");
        QTest::newRow("surrogate pair") << R"("\ud83d\ude00")" << QString::fromUtf8("\"\xf0\x9f\x98\x80\"");
        QTest::newRow("raw utf8") << QString::fromUtf8("\"\xe2\x82\xac\"") << QString::fromUtf8("\"\xe2\x82\xac\"");
        QTest::newRow("empty array") << "[ ]" << "[]";
        QTest::newRow("empty object") << "{ }" << "{}";
        QTest::newRow("nested") << R"({"b": [1, 2, {"c": null}], "a": "x"})" << R"({"b":[1,2,{"c":null}],"a":"x"})";
        QTest::newRow("key order kept") << R"({"z":1,"a":2,"m":3})" << R"({"z":1,"a":2,"m":3})";
        QTest::newRow("duplicate key: last wins") << R"({"a":1,"a":2})" << R"({"a":2})";
        QTest::newRow("whitespace") << "\n\t{\r\n\"a\" :\t1 }\n" << R"({"a":1})";
    }
    void roundTrip() {
        QFETCH(QString, input);
        QFETCH(QString, compact);
        const Json j = Json::parse(input.toStdString());
        QCOMPARE(QString::fromStdString(j.dump()), compact);
        // the pretty form parses back to the same value
        const Json again = Json::parse(j.dump(2));
        QCOMPARE(QString::fromStdString(again.dump()), compact);
    }

    void parseErrors_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("offset");
        QTest::addColumn<QString>("reason");
        // Offsets point at the last byte read (the end of a wrong token); reasons are
        // nlohmann-json's, which also shows the token ("last read: 'tru'").
        QTest::newRow("empty") << "" << 0 << "unexpected end of input";
        QTest::newRow("only spaces") << "   " << 3 << "end of input";
        QTest::newRow("bad literal") << "tru" << 3 << "invalid literal; last read: 'tru'";
        QTest::newRow("trailing") << "1 2" << 2 << "expected end of input";
        QTest::newRow("leading zero") << "012" << 2 << "expected end of input";
        QTest::newRow("plus sign") << "+1" << 0 << "invalid literal";
        QTest::newRow("bare dot") << "1." << 2 << "expected digit after '.'";
        QTest::newRow("bad exponent") << "1e" << 2 << "exponent";
        QTest::newRow("huge number") << "1e999" << 4 << "number overflow parsing '1e999'";
        QTest::newRow("NaN") << "NaN" << 0 << "invalid literal";
        QTest::newRow("unterminated string") << "\"abc" << 4 << "missing closing quote";
        QTest::newRow("raw newline in string") << "\"a\nb\"" << 2 << "control character";
        QTest::newRow("bad escape") << R"("\x")" << 2 << "forbidden character after backslash";
        QTest::newRow("bad hex") << R"("\u12g4")" << 5 << "4 hex digits";
        QTest::newRow("short \\u") << R"("\u12")" << 5 << "4 hex digits";
        QTest::newRow("lone high surrogate") << R"("\ud800x")" << 7 << "must be followed by U+DC00..U+DFFF";
        QTest::newRow("lone low surrogate") << R"("\udc00")" << 6 << "must follow U+D800..U+DBFF";
        QTest::newRow("missing colon") << R"({"a" 1})" << 5 << "expected ':'";
        QTest::newRow("non-string key") << "{1:2}" << 1 << "expected string literal";
        QTest::newRow("trailing comma in object") << R"({"a":1,})" << 7 << "expected string literal";
        QTest::newRow("trailing comma in array") << "[1,]" << 3 << "unexpected ']'";
        QTest::newRow("missing bracket") << "[1,2" << 4 << "unexpected end of input; expected ']'";
        QTest::newRow("missing brace") << R"({"a":1)" << 6 << "unexpected end of input; expected '}'";
        QTest::newRow("array separator") << "[1 2]" << 3 << "expected ']'";
        QTest::newRow("single quotes") << "'a'" << 0 << "invalid literal";
        QTest::newRow("second line") << "{\n  \"a\": tru\n}" << 12 << "(line 2, column 11)";
    }
    void parseErrors() {
        QFETCH(QString, input);
        QFETCH(int, offset);
        QFETCH(QString, reason);
        const std::string msg = errorOf([&] { Json::parse(input.toStdString()); });
        QVERIFY2(!msg.empty(), "no error thrown");
        const QString m = QString::fromStdString(msg);
        QVERIFY2(m.startsWith(QString("invalid JSON at offset %1 (line ").arg(offset)), qPrintable(m));
        QVERIFY2(m.contains(reason), qPrintable(m));
    }

    void malformedUtf8IsRefused() {
        // A Latin-1 config file is refused with the place, not read as mojibake.
        const QString m = QString::fromStdString(errorOf([] { Json::parse("{\"name\": \"caf\xe9\"}"); }));
        QVERIFY2(m.startsWith("invalid JSON at offset 14 (line 1, column 15):"), qPrintable(m));
        QVERIFY2(m.contains("ill-formed UTF-8 byte"), qPrintable(m));
    }

    void depthLimit() {
        const int limit = Json::maxDepth;
        const std::string ok = std::string(limit, '[') + std::string(limit, ']');
        QCOMPARE(Json::parse(ok).size(), std::size_t(1));
        // one level more is refused with an error, not a stack overflow; hostile depth too
        for (const int depth : {limit + 1, 100000}) {
            const std::string deep = std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
            const QString m = QString::fromStdString(errorOf([&] { Json::parse(deep); }));
            QVERIFY2(m.contains("nesting deeper than"), qPrintable(m));
            QVERIFY2(m.contains(QString("offset %1 (line 1, column %2):").arg(limit).arg(limit + 1)), qPrintable(m));
        }
        std::string objects;
        for (int i = 0; i <= limit; ++i) objects += "{\"a\":";
        objects += "1" + std::string(static_cast<std::size_t>(limit + 1), '}');
        QVERIFY(QString::fromStdString(errorOf([&] { Json::parse(objects); })).contains("nesting"));
    }

    void wideObjectsParse() {
        // Regression: keys were looked up linearly while parsing, so a hostile 200,000-key
        // object took minutes. An index of each open object's keys keeps it O(n log n); should
        // that regress, this test runs into its CTest timeout (no timing is asserted here).
        std::string text = "{";
        const int n = 200000;
        for (int i = 0; i < n; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
        text += ",\"k7\":-1}";
        const Json j = Json::parse(text);
        QCOMPARE(j.size(), std::size_t(n));
        QCOMPARE(j["k7"].number(), -1.0);  // a duplicate replaces the first value in place
        QCOMPARE(j.items()[7].first, std::string("k7"));
        QCOMPARE(j["k199999"].number(), 199999.0);
    }

    void accessors() {
        Json o = Json::object();
        o.set("n", 1.5);
        o.set("s", "text");
        o.set("b", true);
        Json a = Json::array();
        a.push(1);
        a.push("two");
        o.set("a", a);
        QCOMPARE(o["n"].number(), 1.5);
        QCOMPARE(o["s"].string(), std::string("text"));
        QVERIFY(o["b"].boolean());
        QCOMPARE(o["a"].size(), std::size_t(2));
        QCOMPARE(o["a"].at(1).string(), std::string("two"));
        QVERIFY(o["missing"].isNull());
        QVERIFY(!o.has("missing"));
        QVERIFY(o.has("n"));
        o.set("n", 2);  // replaces in place, keeps the order
        QCOMPARE(QString::fromStdString(o.dump()), QString(R"({"n":2,"s":"text","b":true,"a":[1,"two"]})"));
        // wrong-type accessors throw rbm::Error
        QVERIFY(!errorOf([&] { o["s"].number(); }).empty());
        QVERIFY(!errorOf([&] { o["n"].string(); }).empty());
        QVERIFY(!errorOf([&] { o["n"].boolean(); }).empty());
        QVERIFY(!errorOf([&] { o["a"].at(2); }).empty());
        QVERIFY(!errorOf([&] { o.push(1); }).empty());
    }

    void prettyDump() {
        const Json j = Json::parse(R"({"a":[1,2],"b":{},"c":[]})");
        QCOMPARE(QString::fromStdString(j.dump(2)),
                 QString("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}"));
    }

    void dumpIsAlwaysValidUtf8_data() {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("dumped");
        const QByteArray fffd("\xef\xbf\xbd");
        QTest::newRow("latin-1 byte") << QByteArray("caf\xe9") << "\"caf" + fffd + "\"";
        // one U+FFFD for the whole truncated sequence (Unicode's "maximal subpart" practice)
        QTest::newRow("truncated sequence") << QByteArray("a\xe2\x82") << "\"a" + fffd + "\"";
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << "\"" + fffd + fffd + "\"";
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << "\"" + fffd + fffd + fffd + "\"";
        QTest::newRow("valid 4-byte") << QByteArray("\xf0\x9f\x98\x80") << QByteArray("\"\xf0\x9f\x98\x80\"");
    }
    void dumpIsAlwaysValidUtf8() {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, dumped);
        const std::string out = Json(raw.toStdString()).dump();
        QCOMPARE(QByteArray::fromStdString(out), dumped);
        QVERIFY(QString::fromUtf8(dumped).toUtf8() == dumped);  // round-trips through a strict decoder
    }

    void nonFiniteDumpsAsNull() {
        Json a = Json::array();
        a.push(std::numeric_limits<double>::quiet_NaN());
        a.push(std::numeric_limits<double>::infinity());
        QCOMPARE(QString::fromStdString(a.dump()), QString("[null,null]"));
    }

    void floatsRoundTripExactly() {
        // Every float written through Json(float) reads back as the identical float, and
        // prints in its shortest form (0.05f as "0.05", not 0.05000000074505806).
        QCOMPARE(QString::fromStdString(Json(0.05f).dump()), QString("0.05"));
        QCOMPARE(QString::fromStdString(Json(1e-8f).dump()), QString("1e-08"));
        std::mt19937 gen(7);
        std::uniform_int_distribution<std::uint32_t> bits;
        int tested = 0;
        while (tested < 20000) {
            const std::uint32_t b = bits(gen);
            float f = 0;
            std::memcpy(&f, &b, 4);
            if (!std::isfinite(f)) continue;
            ++tested;
            const Json back = Json::parse(Json(f).dump());
            const float g = static_cast<float>(back.number());
            if (std::memcmp(&f, &g, 4) != 0) QFAIL(qPrintable(QString("float %1 came back as %2").arg(double(f), 0, 'g', 9).arg(double(g), 0, 'g', 9)));
        }
    }

    void doublesRoundTripExactly() {
        std::mt19937_64 gen(11);
        int tested = 0;
        for (const double special : {0.1, 1.0 / 3.0, 1e308, 4.9e-324, -2.2250738585072014e-308, 123456789012345678.0}) {
            QVERIFY(sameBits(Json::parse(Json(special).dump()).number(), special));
        }
        while (tested < 20000) {
            const std::uint64_t b = gen();
            double d = 0;
            std::memcpy(&d, &b, 8);
            if (!std::isfinite(d)) continue;
            ++tested;
            const double back = Json::parse(Json(d).dump()).number();
            if (!sameBits(back, d) && !(d == 0 && back == 0)) QFAIL(qPrintable(QString::fromStdString(Json(d).dump())));
        }
    }

    // ---------------------------------------------------------------- TrainingConfig

    void enumStrings() {
        using rbm::Algorithm;
        using rbm::Initialisation;
        using rbm::OptimizerKind;
        for (const Algorithm a : {Algorithm::CD, Algorithm::PCD}) QCOMPARE(rbm::algorithmFromString(rbm::toString(a)), a);
        for (const Initialisation i : {Initialisation::Hinton, Initialisation::Normal})
            QCOMPARE(rbm::initialisationFromString(rbm::toString(i)), i);
        for (const OptimizerKind k : {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam})
            QCOMPARE(rbm::optimizerFromString(rbm::toString(k)), k);
        QCOMPARE(QString(rbm::toString(Algorithm::PCD)), QString("pcd"));
        QCOMPARE(QString(rbm::toString(OptimizerKind::Adam)), QString("adam"));
        QCOMPARE(rbm::optimizerFromString("ADAM"), OptimizerKind::Adam);
        QVERIFY(QString::fromStdString(errorOf([] { rbm::algorithmFromString("cd2"); })).contains("'cd2'"));
        QVERIFY(QString::fromStdString(errorOf([] { rbm::optimizerFromString("rmsprop"); })).contains("'rmsprop'"));
        QVERIFY(QString::fromStdString(errorOf([] { rbm::initialisationFromString(""); })).contains("initialisation"));
    }

    void configRoundTrip() {
        rbm::TrainingConfig c;
        c.hidden = 123;
        c.init = rbm::Initialisation::Normal;
        c.initWeightStd = 0.0123f;
        c.initBiasStd = 0.3f;
        c.seed = 18446744073709551557ull;  // above 2^53: written as a string, still exact
        c.binarization = rbm::Binarization::Stochastic;
        c.binarizeThreshold = 99;
        c.algorithm = rbm::Algorithm::PCD;
        c.k = 7;
        c.persistentChains = 33;
        c.batchSize = 17;
        c.epochs = 0;
        c.optimizer.kind = rbm::OptimizerKind::Adam;
        c.optimizer.momentum = 0.75f;
        c.optimizer.momentumSchedule = false;
        c.optimizer.momentumScheduleEpochs = 3;
        c.optimizer.adamBeta1 = 0.85f;
        c.optimizer.adamBeta2 = 0.9995f;
        c.optimizer.adamEpsilon = 1.5e-7f;
        c.learningRateWeights = 0.1f / 3.0f;
        c.learningRateBiases = 1e-5f;
        c.weightDecay = 2e-4f;
        c.sparsityTarget = 0.05f;
        c.sparsityCost = 0.7f;
        c.sparsityDecay = 0.9f;
        c.lrSchedule.kind = rbm::LrScheduleKind::Steps;
        c.lrSchedule.finalFactor = 0.3f;
        c.lrSchedule.steps = {{3, 0.5f}, {7, 0.1f / 3.0f}};
        c.centering = true;
        c.centeringRate = 0.02f;
        c.evalSubset = 0;
        c.threads = 4;
        const std::string text = rbm::toJson(c);
        const rbm::TrainingConfig d = rbm::trainingConfigFromJson(text);
        QCOMPARE(d.hidden, c.hidden);
        QCOMPARE(d.init, c.init);
        QCOMPARE(d.initWeightStd, c.initWeightStd);
        QCOMPARE(d.initBiasStd, c.initBiasStd);
        QCOMPARE(d.seed, c.seed);
        QCOMPARE(d.binarization, c.binarization);
        QCOMPARE(d.binarizeThreshold, c.binarizeThreshold);
        QCOMPARE(d.algorithm, c.algorithm);
        QCOMPARE(d.k, c.k);
        QCOMPARE(d.persistentChains, c.persistentChains);
        QCOMPARE(d.batchSize, c.batchSize);
        QCOMPARE(d.epochs, c.epochs);
        QCOMPARE(d.optimizer.kind, c.optimizer.kind);
        QCOMPARE(d.optimizer.momentum, c.optimizer.momentum);
        QCOMPARE(d.optimizer.momentumSchedule, c.optimizer.momentumSchedule);
        QCOMPARE(d.optimizer.momentumScheduleEpochs, c.optimizer.momentumScheduleEpochs);
        QCOMPARE(d.optimizer.adamBeta1, c.optimizer.adamBeta1);
        QCOMPARE(d.optimizer.adamBeta2, c.optimizer.adamBeta2);
        QCOMPARE(d.optimizer.adamEpsilon, c.optimizer.adamEpsilon);
        // exact float equality, not fuzzy (QCOMPARE on floats is fuzzy)
        QVERIFY(d.learningRateWeights == c.learningRateWeights);
        QVERIFY(d.learningRateBiases == c.learningRateBiases);
        QVERIFY(d.weightDecay == c.weightDecay);
        QVERIFY(d.sparsityTarget == c.sparsityTarget);
        QVERIFY(d.sparsityCost == c.sparsityCost);
        QVERIFY(d.sparsityDecay == c.sparsityDecay);
        QVERIFY(d.lrSchedule == c.lrSchedule);
        QCOMPARE(d.centering, c.centering);
        QVERIFY(d.centeringRate == c.centeringRate);
        QCOMPARE(d.evalSubset, c.evalSubset);
        QCOMPARE(d.threads, c.threads);
        // human-readable: the shortest decimals, a nested optimizer object
        const Json j = Json::parse(text);
        QCOMPARE(QString::fromStdString(j["sparsityTarget"].dump()), QString("0.05"));
        QCOMPARE(QString::fromStdString(j["optimizer"]["kind"].string()), QString("adam"));
        QCOMPARE(QString::fromStdString(j["algorithm"].string()), QString("pcd"));
        QCOMPARE(QString::fromStdString(j["seed"].string()), QString("18446744073709551557"));
    }

    void configWrittenByOldVersionsLoads() {
        // config.json as the hand-written writer before nlohmann-json printed it (from
        // fuzz/corpus/checkpoint/full-state.npz): C++17 to_chars forms such as 1e-04 and 1e-08.
        const std::string old = "{\n  \"hidden\": 3,\n  \"init\": \"hinton\",\n  \"initWeightStd\": 0.01,\n"
                                "  \"seed\": 1,\n  \"algorithm\": \"pcd\",\n  \"optimizer\": {\n    \"kind\": \"adam\",\n"
                                "    \"adamBeta2\": 0.999,\n    \"adamEpsilon\": 1e-08\n  },\n"
                                "  \"learningRateWeights\": 0.05,\n  \"weightDecay\": 1e-04,\n  \"sparsityDecay\": 0.95\n}";
        const rbm::TrainingConfig c = rbm::trainingConfigFromJson(old);
        QCOMPARE(c.hidden, 3);
        QCOMPARE(c.algorithm, rbm::Algorithm::PCD);
        QCOMPARE(c.optimizer.kind, rbm::OptimizerKind::Adam);
        QVERIFY(c.initWeightStd == 0.01f);
        QVERIFY(c.optimizer.adamBeta2 == 0.999f);
        QVERIFY(c.optimizer.adamEpsilon == 1e-8f);
        QVERIFY(c.learningRateWeights == 0.05f);
        QVERIFY(c.weightDecay == 1e-4f);
        QVERIFY(c.sparsityDecay == 0.95f);
        // and what is written now reads back as the same configuration
        QCOMPARE(rbm::toJson(rbm::trainingConfigFromJson(rbm::toJson(c))), rbm::toJson(c));
    }

    void configMissingKeysKeepDefaults() {
        const rbm::TrainingConfig defaults;
        const rbm::TrainingConfig c = rbm::trainingConfigFromJson(R"({"hidden": 50, "optimizer": {"kind": "sgd"}, "unknown": [1]})");
        QCOMPARE(c.hidden, 50);
        QCOMPARE(c.optimizer.kind, rbm::OptimizerKind::Sgd);
        QCOMPARE(c.optimizer.momentum, defaults.optimizer.momentum);
        QCOMPARE(c.batchSize, defaults.batchSize);
        QCOMPARE(c.k, defaults.k);
        QVERIFY(c.learningRateWeights == defaults.learningRateWeights);
        QCOMPARE(rbm::trainingConfigFromJson("{}").hidden, defaults.hidden);
        QCOMPARE(rbm::trainingConfigFromJson(R"({"seed": 42})").seed, std::uint64_t(42));
    }

    void configBadJson_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << "{hidden: 1}" << "not valid JSON";
        QTest::newRow("not an object") << "[1]" << "JSON object";
        QTest::newRow("string for int") << R"({"hidden": "256"})" << "'hidden' must be an integer";
        QTest::newRow("fraction for int") << R"({"k": 1.5})" << "'k' must be an integer";
        QTest::newRow("int out of range") << R"({"batchSize": 1e12})" << "'batchSize' is out of range";
        QTest::newRow("string for float") << R"({"weightDecay": "0.1"})" << "'weightDecay' must be a number";
        QTest::newRow("float overflow") << R"({"weightDecay": 1e300})" << "'weightDecay' is out of range";
        QTest::newRow("null for float") << R"({"sparsityCost": null})" << "'sparsityCost' must be a number";
        QTest::newRow("bad enum") << R"({"algorithm": "gibbs"})" << "'algorithm'";
        QTest::newRow("enum not string") << R"({"init": 1})" << "'init' must be a string";
        QTest::newRow("optimizer not object") << R"({"optimizer": "adam"})" << "'optimizer' must be an object";
        QTest::newRow("nested key named") << R"({"optimizer": {"momentum": true}})" << "'optimizer.momentum' must be a number";
        QTest::newRow("nested bool") << R"({"optimizer": {"momentumSchedule": 1}})" << "'optimizer.momentumSchedule' must be true or false";
        QTest::newRow("negative seed") << R"({"seed": -1})" << "'seed' must be a non-negative integer";
        QTest::newRow("seed string garbage") << R"({"seed": "12a"})" << "'seed' must be a non-negative integer";
        QTest::newRow("seed string overflow") << R"({"seed": "18446744073709551616"})" << "'seed'";
    }
    void configBadJson() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const QString m = QString::fromStdString(errorOf([&] { rbm::trainingConfigFromJson(json.toStdString()); }));
        QVERIFY2(m.contains(expected), qPrintable(m));
    }

    void validateDefaultsPass() {
        rbm::TrainingConfig().validate();
        rbm::TrainingConfig c;
        c.hidden = 1;
        c.k = 1000;
        c.batchSize = 1;
        c.epochs = 0;
        c.threads = 64;
        c.binarizeThreshold = 254;
        c.learningRateWeights = 10;
        c.learningRateBiases = 0;
        c.optimizer.momentum = 0;
        c.sparsityTarget = 0.99f;
        c.validate();
    }

    void validate_data() {
        using Edit = std::function<void(rbm::TrainingConfig&)>;
        QTest::addColumn<Edit>("edit");
        QTest::addColumn<QString>("expected");
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float inf = std::numeric_limits<float>::infinity();
        QTest::newRow("hidden 0") << Edit([](auto& c) { c.hidden = 0; }) << "hidden units must be between 1 and 100000, got 0";
        QTest::newRow("hidden huge") << Edit([](auto& c) { c.hidden = 100001; }) << "got 100001";
        QTest::newRow("k 0") << Edit([](auto& c) { c.k = 0; }) << "Gibbs steps k must be between 1 and 1000, got 0";
        QTest::newRow("k 1001") << Edit([](auto& c) { c.k = 1001; }) << "got 1001";
        QTest::newRow("batch 0") << Edit([](auto& c) { c.batchSize = 0; }) << "batch size must be between 1 and 1000000, got 0";
        QTest::newRow("lr negative") << Edit([](auto& c) { c.learningRateWeights = -0.1f; }) << "learning rate of the weights";
        QTest::newRow("lr NaN") << Edit([nan](auto& c) { c.learningRateBiases = nan; }) << "learning rate of the biases must be a finite number";
        QTest::newRow("lr too big") << Edit([](auto& c) { c.learningRateWeights = 11; }) << "in [0, 10]";
        QTest::newRow("momentum 1") << Edit([](auto& c) { c.optimizer.momentum = 1; }) << "momentum must be in [0, 1)";
        QTest::newRow("weight decay negative") << Edit([](auto& c) { c.weightDecay = -1e-4f; }) << "weight decay";
        QTest::newRow("weight decay inf") << Edit([inf](auto& c) { c.weightDecay = inf; }) << "got infinity";
        QTest::newRow("sparsity target 1") << Edit([](auto& c) { c.sparsityTarget = 1; }) << "sparsity target must be in [0, 1)";
        QTest::newRow("sparsity cost negative") << Edit([](auto& c) { c.sparsityCost = -1; }) << "sparsity cost";
        // Upper bounds found by fuzzing: weight decay 1e30 or sparsity cost 1e37 overflow the parameters.
        QTest::newRow("weight decay above 1") << Edit([](auto& c) { c.weightDecay = 1e30f; }) << "weight decay must be in [0, 1]";
        QTest::newRow("sparsity cost above 100") << Edit([](auto& c) { c.sparsityCost = 1e37f; }) << "sparsity cost must be in [0, 100]";
        QTest::newRow("sparsity decay 1") << Edit([](auto& c) { c.sparsityDecay = 1; }) << "sparsity decay";
        QTest::newRow("epochs negative") << Edit([](auto& c) { c.epochs = -1; }) << "epochs must be at least 0, got -1";
        QTest::newRow("threads 0") << Edit([](auto& c) { c.threads = 0; }) << "threads must be between 1 and 64, got 0";
        QTest::newRow("threads 65") << Edit([](auto& c) { c.threads = 65; }) << "got 65";
        QTest::newRow("chains negative") << Edit([](auto& c) { c.persistentChains = -1; }) << "persistent chains";
        QTest::newRow("threshold 255") << Edit([](auto& c) { c.binarizeThreshold = 255; }) << "binarization threshold must be between 0 and 254, got 255";
        QTest::newRow("adam beta2 1") << Edit([](auto& c) { c.optimizer.adamBeta2 = 1; }) << "beta2";
        QTest::newRow("adam epsilon 0") << Edit([](auto& c) { c.optimizer.adamEpsilon = 0; }) << "epsilon must be a finite number above 0";
        QTest::newRow("init std negative") << Edit([](auto& c) { c.initWeightStd = -1; }) << "initial weight standard deviation";
        QTest::newRow("eval subset negative") << Edit([](auto& c) { c.evalSubset = -5; }) << "evaluation subset";
    }
    void validate() {
        QFETCH(std::function<void(rbm::TrainingConfig&)>, edit);
        QFETCH(QString, expected);
        rbm::TrainingConfig c;
        edit(c);
        const QString m = QString::fromStdString(errorOf([&] { c.validate(); }));
        QVERIFY2(m.startsWith("The training configuration is invalid:"), qPrintable(m));
        QVERIFY2(m.contains(expected), qPrintable(m));
    }

    void validateCollectsEveryProblem() {
        rbm::TrainingConfig c;
        c.hidden = 0;
        c.batchSize = 0;
        c.threads = 0;
        const QString m = QString::fromStdString(errorOf([&] { c.validate(); }));
        QVERIFY2(m.contains("hidden units") && m.contains("batch size") && m.contains("threads"), qPrintable(m));
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "test_json.moc"
