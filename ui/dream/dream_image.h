#pragma once
/// Images for the dream panel: visible grids and filters as QImages, and the conversion of
/// an arbitrary picture into an MNIST-style digit. No widgets here (QImage only), so it can
/// run on any thread and be tested without a display.
#include <QImage>
#include <QString>
#include <cstdint>
#include <vector>

#include "rbm/model.h"

namespace studio {

/// values in [0,1], rows x cols row-major -> Grayscale8 (1 = white ink on black, as MNIST's data).
QImage grayImage(const float* values, int rows, int cols);
QImage grayImage(const std::uint8_t* values, int rows, int cols);
/// The weights of hidden unit `unit` as a rows x cols image, symmetric around grey
/// (128 + 127 w / max|w|), so positive weights are light and negative ones dark.
QImage filterImage(const rbm::Rbm& model, int unit, int rows, int cols);
/// Nearest-neighbour enlargement (pixels stay crisp squares).
QImage enlarged(const QImage& img, int factor);

/// MNIST's recipe (LeCun et al.): grayscale; inverted if the background is light (ink becomes 1);
/// background level removed; the bounding box of the ink scaled (area averaging, aspect ratio kept)
/// so its longer side fills a 20 x 20 box (20/28 of the grid in general); then placed in the
/// rows x cols grid so that its centre of mass sits at the grid's centre.
/// Returns rows*cols values in [0,1]; all zeros if the picture has no ink.
std::vector<float> mnistStyleDigit(const QImage& picture, int rows = 28, int cols = 28);
/// Loads `path` (PNG, JPEG, ...) and converts it. Returns false and sets `error` (a sentence
/// naming the file) if it cannot be read.
bool loadMnistStyleDigit(const QString& path, int rows, int cols, std::vector<float>& out, QString* error = nullptr);

/// Centre of mass (x, y) in pixel-centre coordinates (0 .. cols-1); (-1,-1) if empty.
QPointF centreOfMass(const float* values, int rows, int cols);

}  // namespace studio
