#include "dream/chain_views.h"

#include <QGridLayout>
#include <algorithm>

#include "dream/dream_image.h"
#include "dream/dream_views.h"

namespace studio {

ChainViews::ChainViews(QWidget* parent) : QWidget(parent) {
    auto* g = new QGridLayout(this);
    g->setContentsMargins(0, 0, 0, 0);
    g->setSpacing(4);
    auto view = [this](const QString& caption, int scale, bool integer) {
        auto* v = new PixelView(caption, this);
        v->setPreferredScale(scale);
        v->setIntegerScaling(integer);
        return v;
    };
    prob_ = view(tr("p(v|h): what the model imagines"), 6, true);
    sample_ = view(tr("sampled state v"), 6, true);
    chains_ = view(QString(), 3, true);
    hidden_ = view(tr("hidden layer p(h|v) (click: force on / off / free)"), 2, false);
    filters_ = view(tr("most active hidden units (click to force)"), 1, false);
    g->addWidget(prob_, 0, 0);
    g->addWidget(sample_, 0, 1);
    g->addWidget(chains_, 1, 0, 1, 2);
    g->addWidget(hidden_, 2, 0);
    g->addWidget(filters_, 2, 1);
    g->setRowStretch(0, 3);
    g->setRowStretch(1, 1);
    g->setRowStretch(2, 2);
    g->setColumnStretch(0, 1);
    g->setColumnStretch(1, 1);
    connect(hidden_, &PixelView::clicked, this, [this](QPointF px) {
        if (hiddenGrid_.unitAt(px) >= 0) emit unitClicked(hiddenGrid_.unitAt(px));
    });
    connect(filters_, &PixelView::clicked, this, [this](QPointF px) {
        if (filterTiles_.unitAt(px) >= 0) emit unitClicked(filterTiles_.unitAt(px));
    });
    connect(chains_, &PixelView::clicked, this, [this](QPointF px) {
        if (chains_->image().isNull()) return;
        emit chainClicked(std::clamp(static_cast<int>(px.x() * chainCount_ / chains_->image().width()), 0, chainCount_ - 1));
    });
}

void ChainViews::setArrangement(Arrangement a) {
    const bool compact = isSmall(a), full = a == Arrangement::Full;
    for (PixelView* v : {sample_, chains_}) v->setVisible(!compact);
    for (PixelView* v : {hidden_, filters_}) v->setVisible(full);
    prob_->setPreferredScale(a == Arrangement::Mini ? 4 : compact ? 5 : 6);
    // The rows that are left out give their room to the dream.
    auto* g = static_cast<QGridLayout*>(layout());
    g->setRowStretch(1, compact ? 0 : 1);
    g->setRowStretch(2, full ? 2 : 0);
    g->setColumnStretch(1, compact ? 0 : 1);
    arrangement_ = a;
}

void ChainViews::show(const DreamFrame& f, int chain, const rbm::Rbm* model, const std::vector<signed char>& forces,
                      bool meanField, int rows, int cols) {
    chainCount_ = f.chains;
    prob_->setImage(grayImage(f.visibleProb(chain), rows, cols));
    // Mean-field has no randomness: chains from one start never part (issue 11). Compact has
    // no chains view to say so: the dream's own caption does.
    const bool identical = meanField && f.chainsIdentical();
    // Short captions where the views are small: a caption is never cut.
    prob_->setCaption(isSmall(arrangement_)
                          ? (identical ? tr("t = %1: all %2 chains identical (mean-field)").arg(f.step()).arg(f.chains)
                                       : tr("chain %1, t = %2").arg(chain + 1).arg(f.step()))
                      : arrangement_ == Arrangement::Stage ? tr("p(v|h)  chain %1, t = %2").arg(chain + 1).arg(f.step())
                                                           : tr("p(v|h), the dream   chain %1, t = %2").arg(chain + 1).arg(f.step()));
    sample_->setImage(grayImage(f.visible(chain), rows, cols));
    sample_->setCaption(meanField ? tr("state v = p(v|h) (mean-field)") : tr("sampled state v ~ p(v|h)"));
    chains_->setImage(chainsImage(f, rows, cols, chain));
    // Mean-field switched on mid-dream keeps chains apart: each continues deterministically
    // from the sampled state it had. Say so, or a person expects them to merge.
    chains_->setCaption(identical                     ? tr("%1 identical chains: mean-field has no randomness").arg(f.chains)
                        : meanField && f.chains > 1 ? tr("mean-field from different states: Reset makes them identical")
                                                    : tr("parallel chains from the same start: click one to follow it"));
    chains_->setToolTip(identical ? tr("Mean-field updates use p(v|h) and p(h|v) instead of samples, so every chain "
                                       "from the same start takes the same path. Untick mean-field to see them differ.")
                                  : QString());

    hiddenGrid_ = hiddenGrid(f, chain, forces);
    hidden_->setImage(hiddenGrid_.image);
    const auto on = std::count(forces.begin(), forces.end(), 1), off = std::count(forces.begin(), forces.end(), 0);
    hidden_->setCaption(on + off == 0 ? tr("p(h|v), %1 hidden units: click to force").arg(f.nHidden)
                                      : tr("p(h|v): %1 forced on, %2 forced off").arg(on).arg(off));
    if (model && model->nHidden() == f.nHidden) {
        filterTiles_ = topFilterTiles(*model, f, chain, forces, rows, cols);
        filters_->setImage(filterTiles_.image);
    }
}

}  // namespace studio
