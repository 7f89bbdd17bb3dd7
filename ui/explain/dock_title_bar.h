#pragma once
/// A dock's title bar with a "?" beside the float and close buttons: one click explains the
/// panel (panel_explanations.h). Drags and double-clicks it does not handle go to the dock,
/// which moves and floats as with its own title bar.
#include <QWidget>

class QDockWidget;
class QLabel;
class QToolButton;

namespace studio {

class DockTitleBar : public QWidget {
    Q_OBJECT
public:
    explicit DockTitleBar(QDockWidget* dock);
    QToolButton* helpButton() const { return help_; }

signals:
    void helpClicked();

protected:
    void paintEvent(QPaintEvent*) override;

private:
    void syncFeatures();
    QDockWidget* dock_;
    QLabel* title_;
    QToolButton *help_, *float_, *close_;
};

}  // namespace studio
