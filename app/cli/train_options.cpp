#include "train_options.h"

#include <climits>

#include "options.h"
#include "rbm/dataset.h"
#include "rbm/optimizer.h"
#include "rbm/presets.h"
#include "rbm/types.h"

void declareTrainOptions(CLI::App& cmd, TrainOptions& o) {
    cmd.add_option("--out", o.out, "run folder to write (config, checkpoints, metrics.csv)")
        ->required()
        ->check(cli::nonEmpty())
        ->type_name("RUN_DIR");
    cmd.add_option("--data", o.data,
                   "IDX folder or file, folder of PNG/JPEG pictures, .csv, .npy, .npz, 'embedded' (default) or "
                   "bars-and-stripes:RxC (e.g. 4x4)")
        ->type_name("PATH");
    cmd.add_option("--csv-labels", o.csvLabels,
                   "CSV label column: auto (a header column named label or class), first, or none")
        ->check(cli::parsedBy(rbm::csvLabelsFromString))
        ->type_name("WHICH");
    cmd.add_option("--image-size", o.imageSize,
                   "folder of pictures: mnist (28x28 digits made as MNIST was, default) or native (their own size, "
                   "all equal, at most " + std::to_string(rbm::kNativeImageMaxSide) + " a side)")
        ->check(cli::parsedBy(rbm::imageSizeFromString))
        ->type_name("HOW");
    cmd.add_option("--preset", o.preset, "classroom, default, best or dreams (default: default)")
        ->check(cli::parsedBy(rbm::trainingPreset))
        ->type_name("NAME");
    cmd.add_option("--resume", o.resume, "continue the run saved in this checkpoint")
        ->check(cli::nonEmpty())
        ->type_name("CKPT");
    cmd.add_option("--hidden", o.hidden, "hidden units")->transform(cli::wholeNumber())->type_name("N");
    CLI::Option* cd = cmd.add_option("--cd", o.cd, "contrastive divergence with K Gibbs steps")
                          ->transform(cli::wholeNumber())
                          ->type_name("K");
    CLI::Option* pcd = cmd.add_option("--pcd", o.pcd, "persistent CD with K Gibbs steps")
                           ->transform(cli::wholeNumber())
                           ->type_name("K");
    cd->excludes(pcd);
    pcd->excludes(cd);
    cmd.add_flag("--cd-sample-visible", o.cdSampleVisible,
                 "CD: pass sampled binary visible states along the chain, not p(v|h)");
    cmd.add_option("--chains", o.chains, "persistent chains (PCD)")->transform(cli::wholeNumber())->type_name("N");
    cmd.add_option("--batch", o.batch, "minibatch size")->transform(cli::wholeNumber())->type_name("B");
    cmd.add_option("--epochs", o.epochs, "epochs to train (in all, counting a resumed run's)")
        ->transform(cli::wholeNumber())
        ->type_name("E");
    cmd.add_option("--optimizer", o.optimizer, "sgd, momentum or adam")
        ->check(cli::parsedBy(rbm::optimizerFromString))
        ->type_name("NAME");
    cmd.add_option("--lr-weights", o.lrWeights, "learning rate of the weights")->check(cli::number())->type_name("X");
    cmd.add_option("--lr-biases", o.lrBiases, "learning rate of the biases")->check(cli::number())->type_name("X");
    cmd.add_option("--lr-schedule", o.lrSchedule, "learning-rate decay: constant, linear or steps")
        ->check(cli::parsedBy(rbm::lrScheduleFromString))
        ->type_name("NAME");
    CLI::Option* lrFinal = cmd.add_option("--lr-final", o.lrFinal,
                                        "linear decay to this fraction of the rates at the last epoch (implies linear)")
                             ->check(cli::number())
                             ->type_name("F");
    CLI::Option* steps = cmd.add_option("--lr-steps", o.lrSteps,
                                        "stepped rates: from epoch E on, F times the rates (implies steps)")
                             ->check(cli::parsedBy(rbm::lrStepsFromString))
                             ->type_name("E:F,...");
    lrFinal->excludes(steps);
    steps->excludes(lrFinal);
    CLI::Option* centre = cmd.add_flag("--centering", o.centering, "centred gradient (Melchior et al. 2016)");
    CLI::Option* noCentre = cmd.add_flag("--no-centering", o.noCentering, "the plain gradient");
    centre->excludes(noCentre);
    noCentre->excludes(centre);
    cmd.add_option("--centering-rate", o.centeringRate, "sliding-average rate of the centring offsets")
        ->check(cli::number())
        ->type_name("X");
    cmd.add_option("--momentum", o.momentum, "momentum (0 to below 1)")->check(cli::number())->type_name("X");
    cmd.add_flag("--no-momentum-schedule", o.noMomentumSchedule, "full momentum from the first epoch");
    cmd.add_option("--weight-decay", o.weightDecay, "L2 weight decay")->check(cli::number())->type_name("X");
    cmd.add_option("--sparsity-target", o.sparsityTarget, "target mean activity of the hidden units")
        ->check(cli::number())
        ->type_name("X");
    cmd.add_option("--sparsity-cost", o.sparsityCost, "weight of the sparsity penalty")
        ->check(cli::number())
        ->type_name("X");
    cmd.add_option("--init", o.init, "weight initialisation: hinton or normal")
        ->check(cli::parsedBy(rbm::initialisationFromString))
        ->type_name("NAME");
    cmd.add_option("--binarize", o.binarize, "none, threshold or stochastic")
        ->check(cli::parsedBy(rbm::binarizationFromString))
        ->type_name("MODE");
    cmd.add_option("--seed", o.seed, "random seed")->transform(cli::wholeNumber(LLONG_MIN, LLONG_MAX))->type_name("S");
    cmd.add_option("--keep-last", o.keepLast, "keep only the newest N epoch checkpoints (default 0: all)")
        ->transform(cli::wholeNumber(0, INT_MAX))
        ->type_name("N");
    cmd.add_option("--threads", o.threads, "threads to train with, 1 to 64 (default 1)")
        ->transform(cli::wholeNumber(1, 64))
        ->type_name("N");
    cmd.add_flag("--labels", o.labels, "label units beside the pixels, trained with them (needs labelled data)");
    cmd.add_flag("--quiet", o.quiet, "no progress bar on a terminal");
}

rbm::DatasetOptions datasetOptions(const TrainOptions& o) {
    rbm::DatasetOptions d;
    if (o.csvLabels) d.csvLabels = rbm::csvLabelsFromString(*o.csvLabels);
    if (o.imageSize) d.imageSize = rbm::imageSizeFromString(*o.imageSize);
    return d;
}

void applyTrainOptions(const TrainOptions& o, rbm::TrainingConfig& c) {
    if (o.hidden) c.hidden = *o.hidden;
    if (o.cd) {
        c.algorithm = rbm::Algorithm::CD;
        c.k = *o.cd;
    } else if (o.pcd) {
        c.algorithm = rbm::Algorithm::PCD;
        c.k = *o.pcd;
    }
    if (o.cdSampleVisible) c.cdSampleVisible = true;
    if (o.chains) c.persistentChains = *o.chains;
    if (o.batch) c.batchSize = *o.batch;
    if (o.epochs) c.epochs = *o.epochs;
    if (o.optimizer) c.optimizer.kind = rbm::optimizerFromString(*o.optimizer);
    // Doubles narrowed to float as given: 1e300 becomes inf, which validate() names.
    if (o.lrWeights) c.learningRateWeights = static_cast<float>(*o.lrWeights);
    if (o.lrBiases) c.learningRateBiases = static_cast<float>(*o.lrBiases);
    if (o.lrFinal) {
        c.lrSchedule.kind = rbm::LrScheduleKind::Linear;
        c.lrSchedule.finalFactor = static_cast<float>(*o.lrFinal);
    }
    if (o.lrSteps) {
        c.lrSchedule.kind = rbm::LrScheduleKind::Steps;
        c.lrSchedule.steps = rbm::lrStepsFromString(*o.lrSteps);
    }
    if (o.lrSchedule) c.lrSchedule.kind = rbm::lrScheduleFromString(*o.lrSchedule);
    if (o.centering) c.centering = true;
    if (o.noCentering) c.centering = false;
    if (o.centeringRate) c.centeringRate = static_cast<float>(*o.centeringRate);
    if (o.momentum) c.optimizer.momentum = static_cast<float>(*o.momentum);
    if (o.noMomentumSchedule) c.optimizer.momentumSchedule = false;
    if (o.weightDecay) c.weightDecay = static_cast<float>(*o.weightDecay);
    if (o.sparsityTarget) c.sparsityTarget = static_cast<float>(*o.sparsityTarget);
    if (o.sparsityCost) c.sparsityCost = static_cast<float>(*o.sparsityCost);
    if (o.seed) c.seed = static_cast<std::uint64_t>(*o.seed);
    if (o.init) c.init = rbm::initialisationFromString(*o.init);
    if (o.labels) c.labels = true;
    if (o.threads) c.threads = *o.threads;
    if (o.binarize) c.binarization = rbm::binarizationFromString(*o.binarize);
    try {
        c.validate();
    } catch (const rbm::Error& e) {
        throw cli::UsageError(e.what());
    }
}
