#pragma once
/// Hinton's checks as traffic lights, live: one row per check (light, name, measured value, one
/// sentence of advice), evaluated by rbm/health_rules from the snapshots and likelihood estimates.
/// With "early stopping" ticked, the panel asks once per run to pause training (stopAdvised)
/// when the held-out likelihood falls below its best or the free-energy gap turns red.
/// The top row offers the named presets (rbm/presets.h): presetRequested(name).
#include <QElapsedTimer>
#include <QWidget>
#include <vector>

#include "rbm/health_rules.h"
#include "health/likelihood_estimator.h"
#include "training/training_snapshot.h"

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;

namespace studio {

class HealthPanel : public QWidget {
    Q_OBJECT
public:
    explicit HealthPanel(QWidget* parent = nullptr);

    /// Cheap for every snapshot: re-evaluates at most ~4 times a second (and at every new epoch).
    void showSnapshot(const TrainingSnapshot& s);
    void addLikelihood(const LikelihoodPoint& p);
    /// A new model (reset, preset, load, restore): forget the run's history but `likelihood`
    /// (the estimates up to a restored epoch of the same run). Early stopping waits for the
    /// next snapshot from training: a re-derived history never pauses anything.
    void clear(const std::vector<LikelihoodPoint>& likelihood = {});

    void setEarlyStopping(bool on);
    bool earlyStopping() const;
    void setThresholds(const rbm::HealthThresholds& t) { thresholds_ = t; }

    const std::vector<rbm::HealthCheck>& checks() const { return checks_; }
    rbm::Light lightOf(const std::string& key) const;
    const rbm::HealthInput& input() const { return input_; }
    /// Re-evaluates the rules now and repaints the rows.
    void refresh();

signals:
    /// Early stopping: pause training (sent once per run), with the reason for the status bar.
    void stopAdvised(QString reason);
    /// The user picked a preset by name ("Classroom (fast)", "Default", "Best quality").
    void presetRequested(QString name);

private:
    struct Row {
        QLabel* light;
        QLabel* title;
        QLabel* value;
        QLabel* advice;
    };
    void paintRows();

    rbm::HealthInput input_;
    rbm::HealthThresholds thresholds_;
    std::vector<rbm::HealthCheck> checks_;
    std::vector<Row> rows_;
    QGridLayout* grid_ = nullptr;
    QCheckBox* early_ = nullptr;
    QComboBox* presets_ = nullptr;
    QLabel* summary_ = nullptr;
    QElapsedTimer sinceEval_;
    bool stopSent_ = false;
    bool trained_ = true;  ///< false while only a re-derived history is shown (clear with estimates kept)
};

/// The colour of a light, for painting (grey for Unknown).
QColor lightColor(rbm::Light l);

}  // namespace studio
