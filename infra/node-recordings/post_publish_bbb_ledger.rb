#!/usr/bin/ruby
# frozen_string_literal: true

# BBB runs every post_publish/*.rb with `-m <record_id> -f <format>` after a format is published. This hook
# hands the recording to bbb-ledger-recording-upload, which uploads it (or queues it for the retry timer).
# Install: /usr/local/bigbluebutton/core/scripts/post_publish/post_publish_bbb_ledger.rb (see README.md).

require 'optparse'

record_id = nil
format = nil
OptionParser.new do |opts|
  opts.on('-m', '--meeting-id MEETING_ID') { |v| record_id = v }
  opts.on('-f', '--format FORMAT') { |v| format = v }
end.parse!
abort 'post_publish_bbb_ledger.rb: missing -m <record_id>' if record_id.nil?

uploader = ENV.fetch('BBB_LEDGER_UPLOADER', '/usr/local/bin/bbb-ledger-recording-upload')
args = [uploader, 'enqueue', record_id]
args << format unless format.nil?
exit(system(*args) ? 0 : 1)
