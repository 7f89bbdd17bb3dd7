#pragma once
/// What the dream panel draws from the chains: QImages built from timeline frames (QImage and
/// QPainter only, no widgets), with the geometry needed to map a click back to a unit.
/// The panel shows them; the exports save them.
#include <QImage>
#include <QPointF>
#include <vector>

#include "dream/frame_ring.h"
#include "rbm/model.h"

namespace studio {

/// Every chain's dream p(v|h) side by side at 2x, the followed chain underlined in its colour.
QImage chainsImage(const DreamFrame& f, int rows, int cols, int followed);

/// All chains' p(v|h) side by side on grey: one frame of the exported animation (Grayscale8).
QImage animationFrame(const DreamFrame& f, int rows, int cols, int scale = 4, int gap = 8);

/// p(h|v) of one chain as a grid of squares, forced units outlined (green on, red off).
struct HiddenGrid {
    static constexpr int kPitch = 10;  ///< image pixels per unit
    QImage image;
    int columns = 1;
    int units = 0;
    int unitAt(QPointF pixel) const;  ///< -1 outside the grid
    QPointF centreOf(int unit) const;
};
HiddenGrid hiddenGrid(const DreamFrame& f, int chain, const std::vector<signed char>& forces);

/// The weights of the `count` most active hidden units of one chain, as labelled tiles.
struct FilterTiles {
    QImage image;
    std::vector<int> units;  ///< tile i shows hidden unit units[i]
    int perRow = 1;
    int unitAt(QPointF pixel) const;  ///< -1 outside a tile
};
FilterTiles topFilterTiles(const rbm::Rbm& model, const DreamFrame& f, int chain, const std::vector<signed char>& forces,
                           int rows, int cols, int count = 8);

/// The filmstrip: per chain the sampled state v_t above the dream p(v|h) below, at full steps
/// that are multiples of `interval`, the latest `maxColumns` up to frame `upto`, with the start
/// (the oldest frame held) always in the first column.
struct FilmstripLayout {
    int rows = 28, cols = 28;
    int upto = 0;          ///< frame index of the last column
    int interval = 5;      ///< steps between columns
    int firstChain = 0, chains = 1;
    int scale = 2;
    bool labels = true;    ///< "t=" headers and row names
    int maxColumns = 20;
};
std::vector<int> filmstripFrames(const FrameRing& frames, int upto, int interval, int maxColumns);
QImage filmstripImage(const FrameRing& frames, const FilmstripLayout& layout);

}  // namespace studio
