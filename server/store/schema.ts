/**
 * Table types for the typed query layer (Kysely). Timestamps are stored as KST DATETIME(3) text
 * (`2025-12-09 14:30:00.000`) in both dialects, matching how the upstream writes them.
 */
import type { Generated } from 'kysely';

/** Seed tables: the upstream pipeline's (seed 000 §7). */
export interface UservehicleTable {
  car_id: string;
  age: number | null;
  user_sex: string | null;
  user_car_brand: string | null;
  updated_at: string | null;
}

export interface DrivingSessionTable {
  session_id: string;
  car_id: string;
  start_time: string;
  end_time: string | null;
}

export interface DrivingSessionInfoTable {
  info_id: string;
  session_id: string;
  app_lat: number;
  app_lon: number;
  speed: number | null;
  app_rapid_acc: number | null;
  app_weather_status: string | null;
  dt: string;
}

export interface DrowsyDriveTable {
  drowsy_id: string;
  session_id: string;
  detected_at: string;
  gaze_closure: number | null;
  head_drop: number | null;
}

export interface VehicleExteriorImageTable {
  image_id: string;
  session_id: string | null;
  image_base64: string | null;
  processed: number;
  plate_number: string | null;
}

export interface ArrearsInfoTable {
  car_plate_number: string;
  arrears_user_id: string | null;
  total_arrears_amount: number | null;
  notice_count: number | null;
}

export interface ArrearsDetectionTable {
  detection_id: string;
  image_id: string | null;
  car_plate_number: string | null;
  detection_success: number;
  detected_lat: number | null;
  detected_lon: number | null;
  detected_time: string;
}

export interface MissingPersonInfoTable {
  missing_id: string;
  name: string | null;
  age: number | null;
  sex: string | null;
  car_plate_number: string | null;
  description: string | null;
  reported_at: string | null;
}

export interface MissingPersonDetectionTable {
  detection_id: string;
  image_id: string | null;
  car_plate_number: string | null;
  missing_id: string | null;
  detection_success: number;
  detected_lat: number | null;
  detected_lon: number | null;
  detected_time: string;
}

/** Relay-owned tables. */
export interface QuarantinedMessageTable {
  id: Generated<number>;
  topic: string;
  partition_no: number | null;
  offset_no: string | null;
  reason: string;
  payload: string | null;
  received_at: string;
}

/** The plate of each vehicle, when a feed carries it (the seed's uservehicle has no plate). */
export interface VehiclePlateTable {
  car_id: string;
  car_plate_number: string;
  updated_at: string;
}

export interface Database {
  uservehicle: UservehicleTable;
  driving_session: DrivingSessionTable;
  driving_session_info: DrivingSessionInfoTable;
  drowsy_drive: DrowsyDriveTable;
  vehicle_exterior_image: VehicleExteriorImageTable;
  arrears_info: ArrearsInfoTable;
  arrears_detection: ArrearsDetectionTable;
  missing_person_info: MissingPersonInfoTable;
  missing_person_detection: MissingPersonDetectionTable;
  quarantined_message: QuarantinedMessageTable;
  vehicle_plate: VehiclePlateTable;
}
