#pragma once
/// Centring (Melchior, Fischer & Wiskott 2016, "How to center deep Boltzmann machines", JMLR
/// 17(99), Algorithm 1). The energy is written around offsets mu (visible) and lambda (hidden):
///   E(v, h) = -(v - mu)^T W (h - lambda) - (v - mu)^T b' - (h - lambda)^T c',
/// the same family of distributions as the standard RBM, with
///   b = b' - W lambda,   c = c' - W^T mu   (standard biases from centred ones).
/// Its log-likelihood gradient (ascent) is
///   dW = <(v - mu)(h - lambda)^T>_data - <(v - mu)(h - lambda)^T>_model
///      = dW_standard - mu dc^T - db lambda^T,
///   db' = db = <v>_data - <v>_model,   dc' = dc = <h>_data - <h>_model,
/// which removes the mean activities from the weight gradient: the Hessian is better
/// conditioned, and PCD-1 trained this way reaches far better likelihoods (the paper's -84.9
/// against -130.8 nats on MNIST; bench/DREAMS.md: 16 nats here).
///
/// The trainer keeps the model standard (every other part of the app reads W, b, c) and steps
/// in centred coordinates: biases to centred, the optimizer's step on (W, b', c') with the
/// centred gradient (so its moments are the paper's), back to standard with the new W. The
/// offsets follow sliding averages of the data's mean and of the mean p(h|v) of the data
/// (the paper's recommended variant); moving an offset leaves the standard model unchanged
/// (the paper's reparameterisation step). With mu = lambda = 0 every step is exactly the
/// standard one.
#include "rbm/dataset.h"
#include "rbm/types.h"

namespace rbm {

/// Each pixel's mean over the data, in [0, 1].
Vector pixelMeans(const Dataset& data);

/// The paper's initial offsets: mu = the data's mean, lambda = 0.5.
void initialiseOffsets(Vector& mu, Vector& lambda, const Vector& dataMean, Eigen::Index nHidden);

/// offset <- (1 - rate) offset + rate * (mean of the columns [0, count) of `columns`).
void slideOffset(Vector& offset, const Matrix& columns, Eigen::Index count, float rate);

/// b' = b + W lambda and c' = c + W^T mu, in place.
void toCentredBiases(const Matrix& W, const Vector& mu, const Vector& lambda, Vector& b, Vector& c);
/// b = b' - W lambda and c = c' - W^T mu, in place.
void toStandardBiases(const Matrix& W, const Vector& mu, const Vector& lambda, Vector& b, Vector& c);

/// The centred weight gradient of the hidden units [j0, j0 + n) from the standard one:
/// gradW(:, j0..) -= mu dc(j0..)^T + db lambda(j0..)^T (db, dc: the bias gradients above).
void centreWeightGradient(Matrix& gradW, Eigen::Index j0, Eigen::Index n, const Vector& mu, const Vector& lambda,
                          const Vector& db, const Vector& dc);

}  // namespace rbm
