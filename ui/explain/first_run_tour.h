#pragma once
/// The first-run tour: a few steps, each dimming the window around one panel (or the presets
/// toolbar) with a bubble saying what it is for; Next, Skip, and "Don't show this again"
/// remembered in the settings. Never shown in a session without settings (tests, scripted
/// screenshots, --no-settings) or without dialogs; Help > Take the tour replays it.
#include <QPointer>
#include <QString>
#include <QWidget>
#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;

namespace studio {

class FirstRunTour : public QWidget {
    Q_OBJECT
public:
    struct Step {
        QPointer<QWidget> target;  ///< a dock or a toolbar; a hidden one is skipped
        QString title, text;
    };
    /// Covers `window` (a child of it) until finished.
    FirstRunTour(QWidget* window, std::vector<Step> steps);
    int currentStep() const { return current_; }
    int stepCount() const { return int(steps_.size()); }
    bool dontShowAgain() const;

public slots:
    void next();
    void finish();

signals:
    /// The tour ended (Skip, Done or Escape); dontShowAgain() says what to remember.
    void finished();

protected:
    void paintEvent(QPaintEvent*) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void showStep();
    QRect targetRect() const;
    void placeBubble();

    std::vector<Step> steps_;
    int current_ = -1;
    bool done_ = false;
    QWidget* bubble_;
    QLabel *title_, *text_, *count_;
    QPushButton *next_, *skip_;
    QCheckBox* dontShow_;
};

/// The settings key of "don't show the tour again" (QSettings, the studio's organisation).
QString tourSettingsKey();

}  // namespace studio
