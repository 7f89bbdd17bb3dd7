#pragma once
/// Asks before a trained model is thrown away: Reset, a preset or an edit that changes the
/// model's structure, opening a model or a session. The checkpoints on disk are never in
/// question, and the question says so. Scripted sessions (not interactive) never ask; tests
/// answer through an answerer instead of a dialog.
#include <QString>
#include <functional>

class QWidget;

namespace studio {

class TrainingController;

class DiscardGuard {
public:
    /// Gets the question's text, returns true for "discard".
    using Answerer = std::function<bool(const QString& question)>;
    DiscardGuard(QWidget* dialogParent, TrainingController* controller) : parent_(dialogParent), controller_(controller) {}

    void setInteractive(bool interactive) { interactive_ = interactive; }
    /// Answers in place of the dialog, interactive or not (tests). Empty: the dialog again.
    void setAnswerer(Answerer a) { answerer_ = std::move(a); }

    /// Some training would be lost: a run with batches done, or a start model that has trained.
    bool hasTrainedModel() const;
    /// True when nothing trained is lost or the person agrees; `what` is "Reset", "Opening a model"...
    bool confirm(const QString& what) const;

private:
    QWidget* parent_;
    TrainingController* controller_;
    bool interactive_ = true;
    Answerer answerer_;
};

}  // namespace studio
