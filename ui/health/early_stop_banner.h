#pragma once
/// The bar that says why training paused by itself (early stopping) and how to go on: the
/// reason, "Continue" (Space does the same) and "Continue without early stopping". It sits above the
/// panels (a tool bar of its own), hidden until a pause needs explaining and again once
/// training runs or another model is shown: the status bar's "Paused" alone said neither why
/// nor what next (issue 12).
#include <QFrame>

class QLabel;
class QPushButton;

namespace studio {

class EarlyStopBanner : public QFrame {
    Q_OBJECT
public:
    explicit EarlyStopBanner(QWidget* parent = nullptr);
    /// The text for `reason` ("Early stopping: held-out likelihood fell ..."); whoever holds
    /// the bar shows and hides it.
    void setReason(const QString& reason);
    QString text() const;

signals:
    void continueRequested();
    void turnOffRequested();
    void closeRequested();

private:
    QLabel* text_ = nullptr;
};

}  // namespace studio
