#include "views/run_comparison_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <QPainter>
#include <algorithm>
#include <filesystem>

#include "dream/dream_image.h"
#include "rbm/checkpoint.h"
#include "rbm/run_folder.h"
#include "rbm/sampler.h"
#include "views/image_builders.h"

namespace studio {

namespace {

/// Okabe and Ito's colour-blind-safe palette: runs stay apart on a projector too.
const QColor kRunColours[] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115), QColor(204, 121, 167),
                              QColor(86, 180, 233), QColor(213, 94, 0), QColor(240, 228, 66), QColor(0, 0, 0)};

QColor colourOf(std::size_t run) { return kRunColours[run % (sizeof kRunColours / sizeof kRunColours[0])]; }

/// The same seed for every run: their dreams differ by the weights alone.
constexpr std::uint64_t kDreamSeed = 1;

/// p(v|h) of `m`'s dream of `start` after each of dreamSteps() sweeps, tiles side by side with a
/// grey line between; null when `start` does not fit the model.
QImage dreamStrip(const rbm::Rbm& m, const std::vector<float>& start) {
    if (static_cast<int>(start.size()) != m.nVisible() || m.hasLabels()) return {};
    rbm::Matrix v(1, m.nVisible());
    for (int i = 0; i < m.nVisible(); ++i) v(0, i) = start[static_cast<std::size_t>(i)];
    const std::vector<rbm::Vector> frames = rbm::dreamAt(m, v, RunComparisonDialog::dreamSteps(), kDreamSeed);
    int rows = 0, cols = 0;
    tileShape(m, rows, cols);
    QImage strip(static_cast<int>(frames.size()) * (cols + 1) - 1, rows, QImage::Format_RGB32);
    strip.fill(QColor(128, 128, 128));
    QPainter p(&strip);
    for (std::size_t f = 0; f < frames.size(); ++f) p.drawImage(static_cast<int>(f) * (cols + 1), 0, grayImage(frames[f].data(), rows, cols));
    return strip;
}

}  // namespace

RunComparisonDialog::RunComparisonDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Compare runs"));
    auto* v = new QVBoxLayout(this);

    auto* top = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add run folder..."), this);
    connect(add, &QPushButton::clicked, this, &RunComparisonDialog::chooseFolder);
    addOwn_ = new QPushButton(tr("Add this window's run"), this);
    addOwn_->setEnabled(false);
    connect(addOwn_, &QPushButton::clicked, this, [this] { addRun(windowRun_); });
    auto* clear = new QPushButton(tr("Clear"), this);
    connect(clear, &QPushButton::clicked, this, [this] {
        job_.cancel();  // its outcome (cancelled) is dropped
        again_ = false;
        dirs_.clear();
        refused_.clear();
        runs_.clear();
        filters_.clear();
        showRuns();
    });
    metrics_ = new QComboBox(this);
    for (rbm::RunMetric m : rbm::runMetrics()) metrics_->addItem(QString::fromUtf8(rbm::runMetricName(m)), static_cast<int>(m));
    connect(metrics_, QOverload<int>::of(&QComboBox::activated), this,
            [this](int i) { setMetric(static_cast<rbm::RunMetric>(metrics_->itemData(i).toInt())); });
    auto* copy = new QPushButton(tr("Train a copy of"), this);
    copy->setToolTip(tr("Put a run's settings in the Controls: change one and press Start"));
    copyMenu_ = new QMenu(copy);
    copy->setMenu(copyMenu_);
    for (QWidget* w : {static_cast<QWidget*>(add), static_cast<QWidget*>(addOwn_), static_cast<QWidget*>(clear), static_cast<QWidget*>(copy)})
        top->addWidget(w);
    top->addStretch(1);
    top->addWidget(new QLabel(tr("Plot:"), this));
    top->addWidget(metrics_);
    v->addLayout(top);

    auto* split = new QSplitter(Qt::Horizontal, this);
    plot_ = new QCustomPlot(split);
    plot_->setMinimumSize(360, 240);
    plot_->xAxis->setLabel(tr("epoch"));
    QSharedPointer<QCPAxisTickerFixed> epochs(new QCPAxisTickerFixed);  // whole epochs only
    epochs->setTickStep(1);
    epochs->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->xAxis->setTicker(epochs);
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    auto* right = new QWidget(split);
    auto* rv = new QVBoxLayout(right);
    rv->setContentsMargins(0, 0, 0, 0);
    onlyDifferences_ = new QCheckBox(tr("only the settings that differ"), right);
    onlyDifferences_->setChecked(true);
    connect(onlyDifferences_, &QCheckBox::toggled, this, &RunComparisonDialog::showSettings);
    table_ = new QTableWidget(right);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    rv->addWidget(onlyDifferences_);
    rv->addWidget(table_, 1);
    split->addWidget(plot_);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    v->addWidget(split, 1);
    filterRow_ = new QWidget(this);
    new QHBoxLayout(filterRow_);
    filterRow_->layout()->setContentsMargins(0, 0, 0, 0);
    v->addWidget(filterRow_);

    status_ = new QLabel(this);
    status_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    status_->setWordWrap(true);
    v->addWidget(status_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    v->addWidget(buttons);

    timer_ = new QTimer(this);
    timer_->setInterval(2000);  // a run's metrics grow once an epoch: a glance every two seconds is live enough
    connect(timer_, &QTimer::timeout, this, &RunComparisonDialog::reload);
    timer_->start();
    showRuns();
    resize(1000, 640);
}

void RunComparisonDialog::setWindowRun(const QString& dir) {
    windowRun_ = dir;
    addOwn_->setEnabled(!dir.isEmpty());
}

void RunComparisonDialog::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a run folder (rbm train --out, or a studio run)"));
    if (!dir.isEmpty()) addRun(dir);
}

void RunComparisonDialog::addRun(const QString& dir) {
    const QString clean = QFileInfo(dir).absoluteFilePath();
    if (clean.isEmpty() || dirs_.contains(clean)) return;
    dirs_ << clean;
    reload();
}

void RunComparisonDialog::reload() {
    if (dirs_.isEmpty()) return;
    if (job_.active()) {
        again_ = true;
        return;
    }
    std::vector<std::string> dirs;
    std::map<std::string, std::int64_t> known;
    for (const QString& d : dirs_) dirs.push_back(QFile::encodeName(d).toStdString());
    for (const auto& [dir, f] : filters_) known[dir] = f.stamp;
    job_.start(
        [dirs, known, start = dreamStart_](const JobContext& job) {
            Reading r;
            for (const std::string& d : dirs) {
                if (job.cancelled()) break;
                try {
                    r.runs.push_back(rbm::readRunRecord(d));
                } catch (const std::exception& e) {
                    r.refused.push_back({QFile::decodeName(d.c_str()), QString::fromStdString(e.what())});
                    continue;
                }
                // The filters again only when latest.npz changed (a run saves it once an epoch).
                const std::filesystem::path latest = std::filesystem::path(d) / rbm::RunFolder::latestFileName();
                std::error_code ec;
                const auto time = std::filesystem::last_write_time(latest, ec);
                if (ec || !std::filesystem::is_regular_file(latest, ec)) continue;
                const std::int64_t stamp = static_cast<std::int64_t>(time.time_since_epoch().count());
                const auto was = known.find(d);
                if (was != known.end() && was->second == stamp) continue;
                try {
                    const rbm::Rbm model = rbm::loadCheckpoint(latest.string()).model;
                    r.filters[d] = {stamp, buildFilterGrid(model, {}), dreamStrip(model, start)};
                } catch (const std::exception&) {
                    // Mid-save or foreign: the next read tries again.
                }
            }
            return r;
        },
        [this](BackgroundJob<Reading>::Outcome outcome) {
            if (outcome.ok()) {
                for (const auto& [dir, why] : outcome.result->refused) {
                    dirs_.removeAll(dir);
                    refused_ << why;
                }
                runs_ = std::move(outcome.result->runs);
                for (auto& [dir, f] : outcome.result->filters) filters_[dir] = std::move(f);
                showRuns();
            }
            if (again_) {
                again_ = false;
                reload();
            }
        });
}

void RunComparisonDialog::setMetric(rbm::RunMetric m) {
    metric_ = m;
    metrics_->setCurrentIndex(metrics_->findData(static_cast<int>(m)));
    showPlot();
}

QString RunComparisonDialog::statusText() const { return status_->text(); }

const std::vector<int>& RunComparisonDialog::dreamSteps() {
    static const std::vector<int> steps = {0, 10, 50, 200, 1000};
    return steps;
}

void RunComparisonDialog::setDreamStart(const std::vector<float>& pixels) {
    dreamStart_ = pixels;
    filters_.clear();  // every run dreams the new start: read its checkpoint again
    reload();
}

QImage RunComparisonDialog::dreamImage(int i) const {
    if (i < 0 || i >= static_cast<int>(runs_.size())) return {};
    const auto f = filters_.find(runs_[static_cast<std::size_t>(i)].dir);
    return f == filters_.end() ? QImage() : f->second.dream;
}

QImage RunComparisonDialog::filterImage(int i) const {
    if (i < 0 || i >= static_cast<int>(runs_.size())) return {};
    const auto f = filters_.find(runs_[static_cast<std::size_t>(i)].dir);
    return f == filters_.end() ? QImage() : f->second.image;
}

void RunComparisonDialog::showFilters() {
    QLayout* row = filterRow_->layout();
    while (QLayoutItem* item = row->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (std::size_t i = 0; i < runs_.size(); ++i) {
        auto* cell = new QLabel(filterRow_);
        const QImage image = filterImage(static_cast<int>(i));
        cell->setAlignment(Qt::AlignCenter);
        if (image.isNull()) {
            cell->setText(tr("%1: no checkpoint yet").arg(QString::fromStdString(runs_[i].name)));
        } else {
            // Nearest-neighbour: a filter's pixels stay crisp when scaled. The dream under them.
            QImage shown = image.scaled(200, 200, Qt::KeepAspectRatio, Qt::FastTransformation).convertToFormat(QImage::Format_RGB32);
            const QImage dream = dreamImage(static_cast<int>(i));
            if (!dream.isNull()) {
                const QImage big = dream.scaled(dream.width() * 2, dream.height() * 2, Qt::IgnoreAspectRatio, Qt::FastTransformation);
                QImage both(std::max(shown.width(), big.width()), shown.height() + 6 + big.height(), QImage::Format_RGB32);
                both.fill(palette().window().color());
                QPainter p(&both);
                p.drawImage((both.width() - shown.width()) / 2, 0, shown);
                p.drawImage((both.width() - big.width()) / 2, shown.height() + 6, big);
                p.end();
                shown = both;
            }
            cell->setPixmap(QPixmap::fromImage(shown));
            QStringList steps;
            for (int s : dreamSteps()) steps << QString::number(s);
            cell->setToolTip(tr("%1: the filters of its latest checkpoint; under them its dream of the dream panel's "
                                "drawing after %2 Gibbs sweeps (same seed for every run)")
                                 .arg(QString::fromStdString(runs_[i].name), steps.join(QStringLiteral(", "))));
        }
        cell->setStyleSheet(QStringLiteral("border-top: 3px solid %1;").arg(colourOf(i).name()));
        row->addWidget(cell);
    }
    filterRow_->setVisible(!runs_.empty());
}

bool RunComparisonDialog::copyRun(int i) {
    if (i < 0 || i >= static_cast<int>(runs_.size()) || !runs_[static_cast<std::size_t>(i)].hasConfig) return false;
    const rbm::RunRecord& r = runs_[static_cast<std::size_t>(i)];
    emit copyRequested(r.config, QString::fromStdString(r.name));
    return true;
}

void RunComparisonDialog::showRuns() {
    showPlot();
    showSettings();
    showFilters();
    copyMenu_->clear();
    for (std::size_t i = 0; i < runs_.size(); ++i) {
        QAction* a = copyMenu_->addAction(QString::fromStdString(runs_[i].name), this, [this, i] { copyRun(static_cast<int>(i)); });
        a->setEnabled(runs_[i].hasConfig);
    }
    copyMenu_->setEnabled(!runs_.empty());
    status_->setText((runs_.empty() ? tr("Add two or more run folders (rbm train --out DIR, or the studio's runs) to compare them.")
                                    : tr("%1 runs; the folders are read again every 2 s, so a run that trains grows here. Under "
                                         "each run: its filters, and its dream of the dream panel's drawing after 0, 10, 50, 200 "
                                         "and 1,000 Gibbs sweeps (one seed for all).")
                                          .arg(runs_.size())) +
                     (refused_.isEmpty() ? QString() : tr("\nNot compared: %1").arg(refused_.join(QStringLiteral("; ")))));
}

void RunComparisonDialog::showPlot() {
    plot_->clearGraphs();
    for (std::size_t i = 0; i < runs_.size(); ++i) {
        QCPGraph* g = plot_->addGraph();
        g->setName(QString::fromStdString(runs_[i].name));
        g->setPen(QPen(colourOf(i), 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
        QVector<double> x, y;
        for (const rbm::EpochMetrics& e : runs_[i].metrics) {
            double value = 0;
            if (!rbm::runMetricValue(e, metric_, value)) continue;
            x << static_cast<double>(e.epoch);
            y << value;
        }
        g->setData(x, y, true);
    }
    plot_->legend->setVisible(!runs_.empty());
    plot_->yAxis->setLabel(QString::fromUtf8(rbm::runMetricName(metric_)));
    plot_->rescaleAxes();
    // A little room around the curves: first and last points are not drawn on the frame.
    plot_->xAxis->setRange(plot_->xAxis->range().lower - 0.25, plot_->xAxis->range().upper + 0.25);
    plot_->yAxis->scaleRange(1.1, plot_->yAxis->range().center());
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void RunComparisonDialog::showSettings() {
    std::vector<rbm::TrainingConfig> configs;
    QStringList names;
    for (const rbm::RunRecord& r : runs_) {
        configs.push_back(r.config);
        names << QString::fromStdString(r.name) + (r.hasConfig ? QString() : tr(" (no config.json)"));
    }
    const std::vector<rbm::SettingRow> rows = rbm::compareSettings(configs);
    table_->clear();
    table_->setColumnCount(static_cast<int>(configs.size()));
    table_->setHorizontalHeaderLabels(names);
    QStringList keys;
    int row = 0;
    table_->setRowCount(0);
    for (const rbm::SettingRow& s : rows) {
        if (onlyDifferences_->isChecked() && !s.differs) continue;
        table_->insertRow(row);
        keys << QString::fromStdString(s.key);
        for (std::size_t c = 0; c < s.values.size(); ++c) {
            auto* item = new QTableWidgetItem(QString::fromStdString(s.values[c]));
            if (s.differs) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setForeground(colourOf(c));
            }
            table_->setItem(row, static_cast<int>(c), item);
        }
        ++row;
    }
    table_->setVerticalHeaderLabels(keys);
}

}  // namespace studio
