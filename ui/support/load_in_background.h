#pragma once
/// Reading a file without freezing the window: the load runs as a BackgroundJob while the
/// caller waits in a local event loop, so the window keeps painting, timers (--quit-after)
/// fire, and a busy dialog with Cancel appears when the load takes more than a moment. The
/// caller still gets its answer in sequence (open...() returns true or false as before).
///
/// Cancel returns at once; a read already under way cannot be interrupted, so the job
/// finishes on its own and its result is dropped (every reader is bounded: file_kind.h,
/// memory_limits.h). Until then, another load on the same job is refused.
#include <QCoreApplication>
#include <QEventLoop>
#include <QProgressDialog>
#include <functional>
#include <memory>
#include <optional>

#include "support/background_job.h"

namespace studio {

template <class Result>
std::optional<Result> loadInBackground(BackgroundJob<Result>& job, QWidget* parent, bool interactive,
                                       const QString& label, std::function<Result()> load, QString* error) {
    // Shared with the outcome callback, which may run after this function returned (cancel).
    struct State {
        QEventLoop loop;
        std::optional<Result> result;
        QString error;
        bool done = false;
    };
    auto state = std::make_shared<State>();
    const bool started = job.start([load = std::move(load)](const JobContext&) { return load(); },
                                   [state](typename BackgroundJob<Result>::Outcome o) {
                                       if (o.ok()) state->result = std::move(o.result);
                                       else state->error = o.error;
                                       state->done = true;
                                       state->loop.quit();
                                   });
    if (!started) {
        *error = QCoreApplication::translate("studio::Loading", "the previous file is still being read; try again in a moment");
        return std::nullopt;
    }
    std::unique_ptr<QProgressDialog> dialog;
    if (interactive) {
        dialog = std::make_unique<QProgressDialog>(label, QCoreApplication::translate("studio::Loading", "Cancel"), 0, 0, parent);
        dialog->setWindowModality(Qt::WindowModal);
        dialog->setMinimumDuration(400);  // a quick load shows nothing
        // Starts the minimum duration's timer: without a setValue() a busy dialog never shows.
        dialog->setValue(0);
        QObject::connect(dialog.get(), &QProgressDialog::canceled, dialog.get(), [&job, state] {
            job.cancel();
            state->loop.quit();
        });
    }
    if (!state->done) state->loop.exec();
    if (!state->done) {
        *error = QCoreApplication::translate("studio::Loading", "cancelled");
        return std::nullopt;
    }
    if (!state->result) *error = state->error;
    return std::move(state->result);
}

}  // namespace studio
