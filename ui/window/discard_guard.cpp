#include "window/discard_guard.h"

#include <QCoreApplication>
#include <QDir>
#include <QMessageBox>
#include <QPushButton>

#include "training/training_controller.h"

namespace studio {

bool DiscardGuard::hasTrainedModel() const {
    if (controller_->isActive()) return controller_->batchesDone() > 0;
    const auto& start = controller_->startModel();
    return start && start->state && start->state->counters.totalBatches > 0;
}

bool DiscardGuard::confirm(const QString& what) const {
    if (!hasTrainedModel() || (!interactive_ && !answerer_)) return true;
    const QString run = controller_->runDirectory();
    const QString question =
        run.isEmpty() ? QCoreApplication::translate("DiscardGuard", "%1: discard the trained model?").arg(what)
                      : QCoreApplication::translate("DiscardGuard", "%1: discard the trained model? (its checkpoints stay in %2)")
                            .arg(what, QDir::toNativeSeparators(run));
    if (answerer_) return answerer_(question);
    QMessageBox box(QMessageBox::Question, QCoreApplication::translate("DiscardGuard", "Discard the trained model?"), question,
                    QMessageBox::NoButton, parent_);
    QPushButton* discard = box.addButton(QCoreApplication::translate("DiscardGuard", "Discard the model"), QMessageBox::DestructiveRole);
    QPushButton* keep = box.addButton(QCoreApplication::translate("DiscardGuard", "Keep it"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.exec();
    return box.clickedButton() == static_cast<QAbstractButton*>(discard);
}

}  // namespace studio
