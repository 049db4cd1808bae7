package io.wacast.campaign.service;

import jakarta.validation.constraints.Size;

import io.wacast.common.text.SingleLine;

/**
 * What a duplicate of a campaign takes besides its settings.
 *
 * @param name the copy's name; by default the source's with " (copy)"
 * @param recipients whether the source's recipients come along (with their variables, suppression
 *     checked again now); default false
 */
public record DuplicateSpec(@Size(max = 200) @SingleLine String name, Boolean recipients) {
}
