#include "explain/dock_title_bar.h"

#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionDockWidget>
#include <QToolButton>

namespace studio {

namespace {

QToolButton* titleButton(QWidget* parent, const QString& tip) {
    auto* b = new QToolButton(parent);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);
    b->setToolTip(tip);
    return b;
}

}  // namespace

DockTitleBar::DockTitleBar(QDockWidget* dock) : QWidget(dock), dock_(dock) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(6, 1, 2, 1);
    row->setSpacing(1);
    title_ = new QLabel(dock->windowTitle(), this);
    title_->setTextFormat(Qt::PlainText);
    help_ = titleButton(this, tr("What am I looking at? (Shift+F1)"));
    help_->setText(QStringLiteral("?"));
    QFont bold = help_->font();
    bold.setBold(true);
    help_->setFont(bold);
    float_ = titleButton(this, tr("Float or dock this panel"));
    float_->setIcon(style()->standardIcon(QStyle::SP_TitleBarNormalButton, nullptr, dock));
    close_ = titleButton(this, tr("Hide this panel (the View menu shows it again)"));
    close_->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton, nullptr, dock));
    row->addWidget(title_, 1);
    row->addWidget(help_);
    row->addWidget(float_);
    row->addWidget(close_);
    connect(help_, &QToolButton::clicked, this, &DockTitleBar::helpClicked);
    connect(float_, &QToolButton::clicked, dock, [dock] { dock->setFloating(!dock->isFloating()); });
    connect(close_, &QToolButton::clicked, dock, &QDockWidget::close);
    connect(dock, &QDockWidget::windowTitleChanged, title_, &QLabel::setText);
    connect(dock, &QDockWidget::featuresChanged, this, &DockTitleBar::syncFeatures);
    syncFeatures();
}

void DockTitleBar::syncFeatures() {
    float_->setVisible(dock_->features().testFlag(QDockWidget::DockWidgetFloatable));
    close_->setVisible(dock_->features().testFlag(QDockWidget::DockWidgetClosable));
}

void DockTitleBar::paintEvent(QPaintEvent*) {
    // The style's own dock title background, so the bar looks like the others.
    QPainter p(this);
    QStyleOptionDockWidget o;
    o.initFrom(this);
    o.rect = rect();
    o.title = QString();  // the label draws the title
    o.closable = o.movable = o.floatable = false;
    style()->drawControl(QStyle::CE_DockWidgetTitle, &o, &p, this);
}

}  // namespace studio
