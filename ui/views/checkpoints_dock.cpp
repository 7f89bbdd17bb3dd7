#include "views/checkpoints_dock.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace studio {

CheckpointsDock::CheckpointsDock(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(4, 4, 4, 4);
    folder_ = new QLabel(tr("No run yet: each run saves a checkpoint per epoch."));
    folder_->setWordWrap(true);
    folder_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(folder_);
    table_ = new QTableWidget(0, 5);
    table_->setHorizontalHeaderLabels({tr("Epoch"), tr("Train MSE"), tr("Test MSE"), tr("F gap"), tr("PLL")});
    table_->verticalHeader()->setVisible(false);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setAlternatingRowColors(true);
    v->addWidget(table_, 1);
    auto* row = new QHBoxLayout;
    restore_ = new QPushButton(tr("Restore"));
    restore_->setToolTip(tr("Show this checkpoint's filters and histograms; Start continues from it"));
    auto* refresh = new QPushButton(tr("Refresh"));
    auto* open = new QPushButton(tr("Open folder"));
    row->addWidget(restore_);
    row->addWidget(refresh);
    row->addWidget(open);
    v->addLayout(row);
    connect(restore_, &QPushButton::clicked, this, &CheckpointsDock::requestSelected);
    connect(table_, &QTableWidget::cellDoubleClicked, this, &CheckpointsDock::requestSelected);
    connect(refresh, &QPushButton::clicked, this, &CheckpointsDock::refresh);
    connect(open, &QPushButton::clicked, this, [this] {
        if (!dir_.isEmpty()) QDesktopServices::openUrl(QUrl::fromLocalFile(dir_));
    });
}

int CheckpointsDock::rowCount() const { return table_->rowCount(); }

void CheckpointsDock::setRunDirectory(const QString& dir) {
    dir_ = dir;
    folder_->setText(dir.isEmpty() ? tr("No run folder") : tr("Run folder: %1").arg(QDir::toNativeSeparators(dir)));
    refresh();
}

void CheckpointsDock::refresh() {
    entries_.clear();
    if (!dir_.isEmpty() && QFileInfo(dir_).isDir()) {
        try {
            entries_ = rbm::RunFolder::list(dir_.toStdString());
        } catch (const std::exception& e) {
            folder_->setText(tr("Cannot list %1: %2").arg(dir_, QString::fromUtf8(e.what())));
        }
    }
    fillTable();
}

void CheckpointsDock::showSnapshot(const TrainingSnapshot& s) {
    if (s.runDir.isEmpty()) return;
    const QDir dir(s.runDir);
    if (s.runDir != dir_) {
        dir_ = s.runDir;
        folder_->setText(tr("Run folder: %1").arg(QDir::toNativeSeparators(dir_)));
        entries_.clear();
        // The run's first checkpoint: the model it started from.
        rbm::RunEntry first;
        const std::int64_t e0 = s.epochMetrics.empty() ? s.counters.epoch : s.epochMetrics.front().epoch - 1;
        first.epoch = std::max<std::int64_t>(0, e0);
        first.path = dir.filePath(QString::fromStdString(rbm::RunFolder::checkpointFileName(first.epoch))).toStdString();
        // A run started mid-epoch saved its start to latest.npz only: no row for it.
        if (QFileInfo::exists(QString::fromStdString(first.path))) entries_.push_back(first);
    }
    bool added = false;
    for (const rbm::EpochMetrics& m : s.epochMetrics) {
        if (!entries_.empty() && m.epoch <= entries_.back().epoch) continue;
        rbm::RunEntry e;
        e.epoch = m.epoch;
        e.hasMetrics = true;
        e.metrics = m;
        e.path = dir.filePath(QString::fromStdString(rbm::RunFolder::checkpointFileName(m.epoch))).toStdString();
        entries_.push_back(e);
        added = true;
    }
    if (added || table_->rowCount() != int(entries_.size())) fillTable();
}

void CheckpointsDock::fillTable() {
    table_->setRowCount(int(entries_.size()));
    for (int r = 0; r < int(entries_.size()); ++r) {
        const rbm::RunEntry& e = entries_[std::size_t(r)];
        const QString name = QFileInfo(QString::fromStdString(e.path)).fileName();
        auto* epoch = new QTableWidgetItem(e.epoch == 0 && name.startsWith(QLatin1String("initial"))
                                               ? tr("initial")
                                               : QString::number(e.epoch));
        epoch->setToolTip(QString::fromStdString(e.path));
        table_->setItem(r, 0, epoch);
        auto cell = [&](int c, bool has, double v, int prec) {
            table_->setItem(r, c, new QTableWidgetItem(has ? QString::number(v, 'f', prec) : QStringLiteral("-")));
        };
        cell(1, e.hasMetrics, e.metrics.trainMse, 4);
        cell(2, e.hasMetrics && e.metrics.hasTest, e.metrics.testMse, 4);
        cell(3, e.hasMetrics && e.metrics.hasTest, e.metrics.testFreeEnergy - e.metrics.trainFreeEnergy, 2);
        cell(4, e.hasMetrics, e.metrics.pseudoLogLikelihood, 1);
    }
    if (!entries_.empty()) table_->scrollToBottom();
}

void CheckpointsDock::requestSelected() {
    const int r = table_->currentRow();
    if (r < 0 || r >= int(entries_.size())) return;
    emit restoreRequested(QString::fromStdString(entries_[std::size_t(r)].path));
}

}  // namespace studio
