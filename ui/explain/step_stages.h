#pragma once
/// The stages of one CD-k / PCD-k step as the step explainer shows them: what each stage
/// takes and produces (from a rbm::CdStepTrace), its formula, and the numbers of one unit
/// ("p(h_17=1|v0) = sigma(c_17 + sum_i v_i W_i,17) = sigma(-0.31 + 2.05) = 0.85"). Pure
/// functions of the trace and the model: no widgets, so the texts are tested directly.
#include <QImage>
#include <QString>

#include "rbm/cd_step_trace.h"
#include "rbm/model.h"
#include "views/image_builders.h"

namespace studio {

enum class StepStage {
    Data,              ///< v0
    HiddenProbability, ///< p(h|v0)
    HiddenSample,      ///< h0 ~ p(h|v0)
    Reconstruction,    ///< p(v|h0); PCD: p(v|h~) of the chain's last sweep
    NegativeVisible,   ///< v1: CD's reconstruction (or v_k), PCD's chain state
    NegativeHidden,    ///< p(h|v1)
    PositiveStatistics,///< v0 p(h|v0)^T
    NegativeStatistics,///< v1 p(h|v1)^T
    WeightChange       ///< dW = positive - negative
};
constexpr int kStepStageCount = 9;

/// What a stage's picture shows: pixels, hidden units, or one tile per hidden unit.
enum class StageImageKind { None, Visible, Hidden, Weights };

/// One picture of a stage, and how to find the unit under an image pixel.
struct StageImage {
    StageImageKind kind = StageImageKind::None;
    QImage image;
    QString caption;     ///< "p(h | v\u2070)"
    TileLayout tiles;    ///< Weights: the filter grid's layout
    int gridCols = 0;    ///< Hidden: units per row of the picture
};

/// A unit under the pointer: a pixel i (Visible), a hidden unit j (Hidden), or both (Weights).
struct StageUnit {
    int visible = -1;
    int hidden = -1;
    bool valid() const { return visible >= 0 || hidden >= 0; }
};

struct StageContext {
    const rbm::Rbm* model = nullptr;
    const rbm::CdStepTrace* trace = nullptr;
    float learningRate = 0.0f;  ///< the training's lr for W (the step shown is for lr 1)
};

QString stageTitle(StepStage s, const rbm::CdStepTrace& t);   ///< "3. Sample h\u2070"
/// The formula (rich text) and two sentences on what the stage does and why.
QString stageFormula(StepStage s, const rbm::CdStepTrace& t);
QString stageExplanation(StepStage s, const rbm::CdStepTrace& t);

/// The stage's input ("from") and result ("to") pictures.
StageImage stageInputImage(StepStage s, const StageContext& c);
StageImage stageOutputImage(StepStage s, const StageContext& c);

/// The unit of `image` under an image pixel (invalid over padding or outside).
StageUnit unitAt(const StageImage& image, const rbm::Rbm& model, QPoint pixel);
/// Where a unit is drawn in `image` (for the highlight), or a null rect.
QRect unitRect(const StageImage& image, const rbm::Rbm& model, const StageUnit& unit);
/// The unit shown before anything is hovered: the most telling one of the stage's result.
StageUnit defaultUnit(StepStage s, const StageContext& c);
/// The stage's numbers for one unit, as rich text with the formula filled in.
QString unitReadout(StepStage s, const StageContext& c, const StageUnit& unit);

}  // namespace studio
