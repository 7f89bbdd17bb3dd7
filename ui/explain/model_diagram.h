#pragma once
/// The little picture of one CD step the explainer highlights stage by stage (GAN Lab's
/// model graph): the visible states v0 and v1 on the bottom row, the hidden states h0 and h1
/// on the top row, the conditionals as arrows between them, and the update on the right.
/// PCD draws its chain v~ instead of the reconstruction, with its own sweeps as a loop.
#include <QWidget>

#include "explain/step_stages.h"

namespace studio {

class ModelDiagram : public QWidget {
    Q_OBJECT
public:
    explicit ModelDiagram(QWidget* parent = nullptr);
    void setStage(StepStage stage, bool persistent, int k);
    StepStage stage() const { return stage_; }

    QSize sizeHint() const override { return {330, 112}; }
    QSize minimumSizeHint() const override { return {240, 96}; }

signals:
    /// A node or arrow was clicked: the stage it stands for.
    void stageClicked(studio::StepStage stage);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;

private:
    /// Node centres, in widget coordinates: v0, h0, v1, h1, and the update box.
    struct Geometry {
        QPointF v0, h0, v1, h1, update;
        double radius = 16;
    };
    Geometry geometry() const;

    StepStage stage_ = StepStage::Data;
    bool persistent_ = false;
    int k_ = 1;
};

}  // namespace studio
