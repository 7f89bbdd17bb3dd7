#pragma once
/// Pure image builders for the views (no widgets): filter grids, digit grids and the hidden
/// activity image. They run anywhere QImage may (any thread), and the views cache the result
/// and paint it scaled in paintEvent.
#include <QImage>
#include <QRect>
#include <vector>

#include "rbm/dataset.h"
#include "rbm/model.h"

namespace studio {

/// Blue-white-red (ColorBrewer RdBu): t = -1 blue, 0 white, +1 red; t is clamped.
QRgb divergingColor(float t);

/// Image geometry of a tile grid: slot s (0-based, row-major) holds the unit order[s].
struct TileLayout {
    int tileRows = 0, tileCols = 0;  ///< one tile, in image pixels
    int gridRows = 0, gridCols = 0;  ///< tiles
    int pad = 1;                     ///< pixels between tiles and around the grid
    std::vector<int> order;          ///< unit shown in each slot

    QSize imageSize() const;
    QRect tileRect(int slot) const;
    /// The slot under an image pixel, or -1 over padding / outside.
    int slotAt(int x, int y) const;
    /// The unit under an image pixel, or -1.
    int unitAt(int x, int y) const;
};

/// The tile size for `nVisible` pixels: the model's image size if it is consistent, else a
/// near-square rectangle (so any dataset shape still shows).
void tileShape(const rbm::Rbm& m, int& rows, int& cols);

enum class Contrast { Global, PerTile };

struct FilterGridOptions {
    Contrast contrast = Contrast::Global;
    int gridCols = 0;        ///< 0: near-square
    int pad = 1;
    std::vector<int> order;  ///< empty: unit index order; else a permutation of the units
};

/// Each hidden unit's incoming weights W(:, j) as a tile, pixel (r, c) = W(r*cols + c, j),
/// coloured by divergingColor(w / s) where s = max |w| over all weights (Global) or over the
/// unit's own weights (PerTile). Padding is dark grey.
QImage buildFilterGrid(const rbm::Rbm& m, const FilterGridOptions& o, TileLayout* layout = nullptr);

/// Units sorted by a key, largest first (ties by unit index).
std::vector<int> orderByDescending(const std::vector<float>& key);

/// Rows of `images` (values in [0,1], one image per row) as a grayscale grid, white on black.
QImage buildDigitGrid(const rbm::Matrix& images, int imageRows, int imageCols, int gridCols,
                      int pad = 1, TileLayout* layout = nullptr);
/// The first `count` images of a dataset as a grid (no float copy of the dataset).
QImage buildDigitGrid(const rbm::Dataset& d, int count, int gridCols, int pad = 1);

/// p(h|v) as grayscale, one row per example and one column per hidden unit (white = 1).
QImage buildActivityImage(const rbm::Matrix& probabilities);

}  // namespace studio
