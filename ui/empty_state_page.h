// What the window shows before a model is open: a title, what to open, and an Open button.
#pragma once

#include <QWidget>

namespace bertlab::ui {

class EmptyStatePage : public QWidget {
    Q_OBJECT
public:
    explicit EmptyStatePage(QWidget* parent = nullptr);

signals:
    void openRequested();
};

} // namespace bertlab::ui
