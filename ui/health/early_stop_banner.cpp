#include "health/early_stop_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace studio {

EarlyStopBanner::EarlyStopBanner(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("earlyStopBanner"));
    setFrameShape(QFrame::StyledPanel);
    // Amber like the "Paused" light of the status bar: the same state, explained.
    setStyleSheet(QStringLiteral("#earlyStopBanner { background: #fff4d6; border: 1px solid #e0b040; }"
                                 "#earlyStopBanner QLabel { color: #4a3500; }"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(8, 4, 8, 4);
    text_ = new QLabel;
    text_->setTextFormat(Qt::RichText);
    row->addWidget(text_, 1);
    auto* go = new QPushButton(tr("Continue training"));
    go->setObjectName(QStringLiteral("earlyStopContinue"));
    go->setToolTip(tr("Resume the run (Space does the same); early stopping does not pause it again"));
    auto* off = new QPushButton(tr("Continue without early stopping"));
    off->setObjectName(QStringLiteral("earlyStopOff"));
    auto* close = new QPushButton(QStringLiteral("\u2715"));
    close->setFlat(true);
    close->setToolTip(tr("Hide this message (training stays paused)"));
    close->setFixedWidth(close->fontMetrics().horizontalAdvance(QStringLiteral("\u2715")) + 16);
    row->addWidget(go);
    row->addWidget(off);
    row->addWidget(close);
    connect(go, &QPushButton::clicked, this, &EarlyStopBanner::continueRequested);
    connect(off, &QPushButton::clicked, this, &EarlyStopBanner::turnOffRequested);
    connect(close, &QPushButton::clicked, this, &EarlyStopBanner::closeRequested);
}

void EarlyStopBanner::setReason(const QString& reason) {
    QString why = reason;
    const QString prefix = tr("Early stopping: ");
    if (why.startsWith(prefix)) why = why.mid(prefix.size());  // the first line says it already
    // Two lines, no word wrap: a tool bar gives a widget its size hint, and a wrapped label's
    // hint is a tall narrow box.
    text_->setText(tr("<b>Training paused by early stopping:</b> %1<br>Press <b>Space</b> or <i>Continue training</i> "
                      "to train on anyway, or restore the best epoch in <i>Checkpoints</i>.")
                       .arg(why.toHtmlEscaped()));
}

QString EarlyStopBanner::text() const { return text_->text(); }

}  // namespace studio
