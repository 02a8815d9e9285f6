#include "protocol/result_builder.h"

#include <utility>

#include "protocol/byte_io.h"

namespace pglite::internal {

void ResultBuilder::set_columns(std::vector<Column> columns) {
  result_ = Result();
  result_.columns_ = std::move(columns);
  has_columns_ = true;
}

void ResultBuilder::add_row(const std::vector<std::optional<std::string_view>>& values) {
  if (!has_columns_) protocol::throw_protocol_error("DataRow without RowDescription");
  if (values.size() != result_.columns_.size()) {
    protocol::throw_protocol_error("DataRow has " + std::to_string(values.size()) +
                                   " columns, RowDescription " + std::to_string(result_.columns_.size()));
  }
  if (result_.offsets_.empty()) result_.offsets_.push_back(0);
  for (const std::optional<std::string_view>& v : values) {
    if (v) result_.data_.append(*v);
    result_.data_.push_back('\0');
    result_.offsets_.push_back(result_.data_.size());
    result_.nulls_.push_back(!v.has_value());
  }
  ++result_.rows_;
}

void ResultBuilder::add_copy_data(std::string_view data) { result_.copy_data_.append(data); }

Result ResultBuilder::finish(std::string_view command_tag) {
  result_.command_tag_ = command_tag;
  Result out = std::move(result_);
  result_ = Result();
  has_columns_ = false;
  return out;
}

}  // namespace pglite::internal
