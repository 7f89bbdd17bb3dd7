#include "explain/first_run_tour.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QVBoxLayout>

namespace studio {

QString tourSettingsKey() { return QStringLiteral("tour/dontShowAgain"); }

FirstRunTour::FirstRunTour(QWidget* window, std::vector<Step> steps) : QWidget(window), steps_(std::move(steps)) {
    setAttribute(Qt::WA_DeleteOnClose);
    setFocusPolicy(Qt::StrongFocus);
    bubble_ = new QFrame(this);
    bubble_->setObjectName(QStringLiteral("tourBubble"));
    bubble_->setAutoFillBackground(true);
    static_cast<QFrame*>(bubble_)->setFrameShape(QFrame::Box);
    auto* col = new QVBoxLayout(bubble_);
    title_ = new QLabel(bubble_);
    QFont f = title_->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    title_->setFont(f);
    text_ = new QLabel(bubble_);
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::RichText);
    count_ = new QLabel(bubble_);
    dontShow_ = new QCheckBox(tr("Don't show this again"), bubble_);
    dontShow_->setChecked(true);
    skip_ = new QPushButton(tr("Skip"), bubble_);
    next_ = new QPushButton(tr("Next"), bubble_);
    next_->setDefault(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(count_);
    buttons->addStretch(1);
    buttons->addWidget(skip_);
    buttons->addWidget(next_);
    col->addWidget(title_);
    col->addWidget(text_);
    col->addWidget(dontShow_);
    col->addLayout(buttons);
    bubble_->setFixedWidth(360);
    connect(next_, &QPushButton::clicked, this, &FirstRunTour::next);
    connect(skip_, &QPushButton::clicked, this, &FirstRunTour::finish);
    window->installEventFilter(this);
    setGeometry(window->rect());
    show();
    raise();
    setFocus();
    next();
}

bool FirstRunTour::dontShowAgain() const { return dontShow_->isChecked(); }

void FirstRunTour::next() {
    // Steps whose target was closed or hidden are skipped.
    do {
        ++current_;
    } while (current_ < stepCount() && (!steps_[std::size_t(current_)].target));
    if (current_ >= stepCount()) {
        finish();
        return;
    }
    showStep();
}

void FirstRunTour::finish() {
    if (done_) return;
    done_ = true;
    hide();
    emit finished();
    close();
}

void FirstRunTour::showStep() {
    const Step& s = steps_[std::size_t(current_)];
    if (auto* dock = qobject_cast<QDockWidget*>(s.target.data())) {
        dock->show();
        dock->raise();  // a tab behind another comes to the front
    }
    title_->setText(s.title);
    text_->setText(s.text);
    count_->setText(tr("%1 of %2").arg(current_ + 1).arg(stepCount()));
    next_->setText(current_ + 1 == stepCount() ? tr("Done") : tr("Next"));
    placeBubble();
    update();
}

QRect FirstRunTour::targetRect() const {
    if (current_ < 0 || current_ >= stepCount()) return {};
    QWidget* t = steps_[std::size_t(current_)].target;
    // A step about the whole window (its target is the window) points at nothing.
    if (!t || t == parentWidget() || !t->isVisible()) return {};
    return QRect(t->mapTo(parentWidget(), QPoint(0, 0)), t->size());
}

void FirstRunTour::placeBubble() {
    bubble_->adjustSize();
    const QRect r = targetRect(), area = rect();
    const QSize b = bubble_->size();
    QPoint at = area.center() - QPoint(b.width() / 2, b.height() / 2);
    if (!r.isNull()) {
        // Beside the target where there is room (right, left, below, above), else inside it.
        if (r.right() + 12 + b.width() <= area.right()) at = {r.right() + 12, r.top() + 12};
        else if (r.left() - 12 - b.width() >= 0) at = {r.left() - 12 - b.width(), r.top() + 12};
        else if (r.bottom() + 12 + b.height() <= area.bottom()) at = {r.left() + 12, r.bottom() + 12};
        else if (r.top() - 12 - b.height() >= 0) at = {r.left() + 12, r.top() - 12 - b.height()};
        else at = {r.left() + 12, r.top() + 12};
    }
    at.setX(std::clamp(at.x(), 0, std::max(0, area.width() - b.width())));
    at.setY(std::clamp(at.y(), 0, std::max(0, area.height() - b.height())));
    bubble_->move(at);
}

void FirstRunTour::paintEvent(QPaintEvent*) {
    QPainter p(this);
    QPainterPath dim;
    dim.addRect(rect());
    const QRect r = targetRect();
    if (!r.isNull()) dim.addRect(r.adjusted(-3, -3, 3, 3));
    dim.setFillRule(Qt::OddEvenFill);
    p.fillPath(dim, QColor(0, 0, 0, 120));
    if (!r.isNull()) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 3));
        p.drawRect(r.adjusted(-3, -3, 3, 3));
    }
}

bool FirstRunTour::eventFilter(QObject* watched, QEvent* event) {
    if (watched == parentWidget() && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)) {
        setGeometry(parentWidget()->rect());
        placeBubble();
    }
    return QWidget::eventFilter(watched, event);
}

void FirstRunTour::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) finish();
    else if (event->key() == Qt::Key_Right || event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) next();
    else QWidget::keyPressEvent(event);
}

}  // namespace studio
